package io.eventlog.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written check agrees with the contract's pattern, {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,199}}. */
class StreamNameTest {
    private static final Pattern CONTRACT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");
    private static final String ALPHABET = "aZ09._:-$/ é\u0000\n%";

    @Test
    void edgesOfTheRule() {
        assertTrue(StreamName.isValid("orders-17"));
        assertTrue(StreamName.isValid("A.b_c:d-9"));
        assertTrue(StreamName.isValid("x".repeat(200)));
        assertFalse(StreamName.isValid("x".repeat(201)));
        assertFalse(StreamName.isValid(""));
        assertFalse(StreamName.isValid(null));
        assertFalse(StreamName.isValid("-leading"));
        assertFalse(StreamName.isValid("$system"));
        assertFalse(StreamName.isValid("a/b"));
        assertFalse(StreamName.isValid("caf\u00e9"));
        EventLogException e = assertThrows(EventLogException.class, () -> StreamName.requireValid("$all"));
        assertEquals(ErrorCode.INVALID_STREAM, e.code());
    }

    @Test
    void agreesWithThePatternOnRandomNames() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            int length = random.nextInt(random.nextBoolean() ? 6 : 205);
            StringBuilder name = new StringBuilder();
            for (int j = 0; j < length; j++) {
                name.append(ALPHABET.charAt(random.nextInt(random.nextInt(4) == 0 ? ALPHABET.length() : 8)));
            }
            String candidate = name.toString();
            assertEquals(CONTRACT.matcher(candidate).matches(), StreamName.isValid(candidate), candidate);
        }
    }
}
