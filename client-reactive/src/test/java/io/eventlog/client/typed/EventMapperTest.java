package io.eventlog.client.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventMapperTest {
    record OrderPlaced(String item, int qty) {
    }

    private final EventMapper mapper = new EventMapper(new ObjectMapper());

    @Test
    void aValueBecomesAnEventNamedAfterItsClassAndComesBack() {
        EventData event = mapper.toEvent(new OrderPlaced("book", 2), null);
        assertEquals("OrderPlaced", event.type());
        assertEquals("{\"item\":\"book\",\"qty\":2}", new String(event.data()));
        Entry stored = new Entry(9, "orders", 0, 1, event.type(), Map.of(), event.data());
        TypedEntry<OrderPlaced> typed = mapper.fromEntry(stored, OrderPlaced.class);
        assertEquals(new OrderPlaced("book", 2), typed.value());
        assertEquals(9, typed.offset());
        assertEquals("Placed", mapper.toEvent(new OrderPlaced("x", 1), "Placed").type());
    }

    @Test
    void anEntryThatIsNotTheClassFailsNamingIt() {
        Entry stored = new Entry(4, "orders", 3, 1, "Other", Map.of(), "[1,2]".getBytes());
        EventLogException e = assertThrows(EventLogException.class, () -> mapper.fromEntry(stored, OrderPlaced.class));
        assertEquals(ErrorCode.INVALID_JSON, e.code());
        assertTrue(e.getMessage().contains("entry 4 of 'orders'"), e.getMessage());
    }
}
