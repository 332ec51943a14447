package io.eventlog.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eventlog.api.AppendResult;
import java.io.IOException;

/**
 * The 201 body of an append (API.md): {@code {"stream","offset","version","first_offset",
 * "first_version","count"}}.
 */
public final class AppendResultCodec {
    private AppendResultCodec() {
    }

    public static byte[] encode(AppendResult result) {
        JsonOut out = new JsonOut(160);
        out.raw('{');
        out.field("stream", true).string(result.stream());
        out.field("offset", false).number(result.offset());
        out.field("version", false).number(result.version());
        out.field("first_offset", false).number(result.firstOffset());
        out.field("first_version", false).number(result.firstVersion());
        out.field("count", false).number(result.count());
        return out.raw('}').toByteArray();
    }

    public static AppendResult decode(byte[] json) {
        try (JsonParser p = WireJson.parser(json, 0, json.length)) {
            WireJson.expect(p, JsonToken.START_OBJECT, "an append result object");
            String stream = null;
            long[] numbers = {-1, -1, -1, -1, -1};
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "stream" -> stream = p.getText();
                    case "offset" -> numbers[0] = p.getLongValue();
                    case "version" -> numbers[1] = p.getLongValue();
                    case "first_offset" -> numbers[2] = p.getLongValue();
                    case "first_version" -> numbers[3] = p.getLongValue();
                    case "count" -> numbers[4] = p.getIntValue();
                    default -> p.skipChildren();
                }
            }
            WireJson.expectEnd(p);
            for (long number : numbers) {
                if (number < 0 || stream == null) {
                    throw WireJson.malformed("an append result needs stream, offset, version, first_offset, "
                            + "first_version and count");
                }
            }
            return new AppendResult(stream, numbers[0], numbers[1], numbers[2], numbers[3], (int) numbers[4]);
        } catch (IOException e) {
            throw WireJson.malformed(e);
        }
    }
}
