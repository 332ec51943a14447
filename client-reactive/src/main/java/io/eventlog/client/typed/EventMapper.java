package io.eventlog.client.typed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import java.io.IOException;
import java.util.Map;

/**
 * Java values to events and back, with Jackson. An event's type is the name given, or else the
 * simple name of the value's class ({@code OrderPlaced} for {@code com.shop.OrderPlaced}).
 */
public final class EventMapper {
    private final ObjectMapper json;

    public EventMapper(ObjectMapper json) {
        this.json = json;
    }

    /** The value as an event of the given type (null: the class's simple name). */
    public EventData toEvent(Object value, String type) {
        if (value instanceof EventData event) {
            return event;
        }
        try {
            return new EventData(type != null ? type : typeName(value.getClass()), Map.of(), json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new EventLogException(ErrorCode.INVALID_JSON, "cannot write a " + value.getClass().getName()
                    + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The entry's data as a {@code type}; fails with {@code invalid_json} naming the entry when it is not one. */
    public <T> TypedEntry<T> fromEntry(Entry entry, Class<T> type) {
        try {
            return new TypedEntry<>(entry, json.readValue(entry.data(), type));
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new EventLogException(ErrorCode.INVALID_JSON, "entry " + entry.offset() + " of '" + entry.stream()
                    + "' (type " + entry.type() + ") is not a " + type.getSimpleName() + ": " + detail, e);
        }
    }

    public static String typeName(Class<?> type) {
        return type.getSimpleName();
    }
}
