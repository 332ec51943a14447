package io.eventlog.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "7", "orders-17", "a.b_c:d-e", "0-", "A.", "x:"})
    void acceptsNamesOfTheContract(String name) {
        assertTrue(StreamName.isValid(name), name);
        assertEquals(name, StreamName.requireValid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", ".a", "_a", ":a", "$cluster", "a b", "a/b", "a%", "é", "a\n", "orders#1"})
    void refusesNamesOutsideTheContract(String name) {
        assertFalse(StreamName.isValid(name), name);
        EventLogException error = assertThrows(EventLogException.class, () -> StreamName.requireValid(name));
        assertEquals(ErrorCode.INVALID_STREAM, error.code());
    }

    @Test
    void allowsAtMostTwoHundredCharacters() {
        assertTrue(StreamName.isValid("s".repeat(200)));
        assertFalse(StreamName.isValid("s".repeat(201)));
        assertFalse(StreamName.isValid(null));
    }

    @Test
    void saysWhyADollarNameIsRefused() {
        EventLogException error = assertThrows(EventLogException.class, () -> StreamName.requireValid("$all"));
        assertTrue(error.getMessage().contains("reserved for the system"), error.getMessage());
    }
}
