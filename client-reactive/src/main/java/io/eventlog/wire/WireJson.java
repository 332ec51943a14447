package io.eventlog.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import java.io.IOException;

/** The one Jackson factory of the wire codecs and the parsing helpers they share. */
final class WireJson {
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private WireJson() {
    }

    static JsonParser parser(byte[] json, int off, int len) throws IOException {
        return FACTORY.createParser(json, off, len);
    }

    /** Moves to the next token and fails unless it is the one wanted. */
    static void expect(JsonParser p, JsonToken wanted, String what) throws IOException {
        JsonToken token = p.nextToken();
        if (token != wanted) {
            throw malformed("expected " + what + " but found " + token);
        }
    }

    /** Fails unless nothing but whitespace follows the value just read. */
    static void expectEnd(JsonParser p) throws IOException {
        JsonToken token = p.nextToken();
        if (token != null) {
            throw malformed("unexpected " + token + " after the JSON value");
        }
    }

    static EventLogException malformed(String message) {
        return new EventLogException(ErrorCode.INVALID_JSON, message);
    }

    static EventLogException malformed(IOException e) {
        String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return new EventLogException(ErrorCode.INVALID_JSON, "malformed JSON: " + detail, e);
    }
}
