package org.opensearch.cliphybrid.render;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Chrome DevTools Protocol message. The protocol is JSON over a WebSocket: a command is {@code {"id", "method", "params",
 * "sessionId"}}; its reply carries the same {@code id} and either {@code result} or {@code error} ({@code code}, {@code message});
 * an event has a {@code method} and {@code params} but no {@code id}. {@code sessionId} names the attached page target in
 * flat mode ({@code Target.attachToTarget} with {@code flatten: true}), so one socket serves the browser and its page.
 */
record CdpMessage(Integer id, String method, String sessionId, Map<String, Object> params, Map<String, Object> result, Map<String, Object> error) {

    boolean isEvent() {
        return id == null && method != null;
    }

    @SuppressWarnings("unchecked")
    static CdpMessage parse(String json) throws IOException {
        Map<String, Object> m = Json.parse(json);
        Object id = m.get("id");
        if (id != null && id instanceof Number == false) {
            throw new IOException("CDP message with a non-numeric id [" + id + "]");
        }
        if (id == null && m.get("method") == null) {
            throw new IOException("CDP message that is neither a reply nor an event: " + abbreviate(json));
        }
        return new CdpMessage(
            id == null ? null : ((Number) id).intValue(),
            (String) m.get("method"),
            (String) m.get("sessionId"),
            (Map<String, Object>) m.getOrDefault("params", Map.of()),
            (Map<String, Object>) m.get("result"),
            (Map<String, Object>) m.get("error")
        );
    }

    static String command(int id, String sessionId, String method, Map<String, ?> params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("method", method);
        m.put("params", params == null ? Map.of() : params);
        if (sessionId != null) {
            m.put("sessionId", sessionId);
        }
        return Json.write(m);
    }

    /** The reply's error as one line: the protocol's message, its code, and the data Chrome adds for some errors. */
    String errorText() {
        if (error == null) {
            return null;
        }
        Object data = error.get("data");
        return error.get("message") + " (code " + error.get("code") + ")" + (data == null ? "" : ": " + data);
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
