package org.opensearch.cliphybrid.render;

import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.List;
import java.util.Map;

public class CdpMessageTests extends OpenSearchTestCase {
    public void testCommandCarriesIdMethodParamsAndSession() throws IOException {
        String json = CdpMessage.command(7, "S1", "Page.navigate", Map.of("url", "http://127.0.0.1/a"));
        Map<String, Object> m = Json.parse(json);
        assertEquals(7, m.get("id"));
        assertEquals("Page.navigate", m.get("method"));
        assertEquals("S1", m.get("sessionId"));
        assertEquals(Map.of("url", "http://127.0.0.1/a"), m.get("params"));
    }

    public void testBrowserCommandHasNoSessionAndEmptyParams() throws IOException {
        Map<String, Object> m = Json.parse(CdpMessage.command(1, null, "Target.getTargets", null));
        assertFalse(m.containsKey("sessionId"));
        assertEquals(Map.of(), m.get("params"));
    }

    public void testReplyWithResult() throws IOException {
        CdpMessage m = CdpMessage.parse("{\"id\": 3, \"result\": {\"frameId\": \"F\", \"loaderId\": \"L\"}, \"sessionId\": \"S1\"}");
        assertEquals(Integer.valueOf(3), m.id());
        assertFalse(m.isEvent());
        assertEquals("F", m.result().get("frameId"));
        assertNull(m.errorText());
    }

    public void testReplyWithErrorNamesMessageCodeAndData() throws IOException {
        CdpMessage m = CdpMessage.parse("{\"id\": 4, \"error\": {\"code\": -32000, \"message\": \"Cannot navigate\", \"data\": \"invalid URL\"}}");
        assertEquals("Cannot navigate (code -32000): invalid URL", m.errorText());
    }

    public void testEventHasMethodAndParams() throws IOException {
        CdpMessage m = CdpMessage.parse(
            "{\"method\": \"Network.requestWillBeSent\", \"params\": {\"requestId\": \"1.2\", \"redirects\": [1, 2]}, \"sessionId\": \"S\"}"
        );
        assertTrue(m.isEvent());
        assertEquals("1.2", m.params().get("requestId"));
        assertEquals(List.of(1, 2), m.params().get("redirects"));
        assertEquals("S", m.sessionId());
    }

    public void testEventWithoutParamsHasEmptyParams() throws IOException {
        assertEquals(Map.of(), CdpMessage.parse("{\"method\": \"Page.domContentEventFired\"}").params());
    }

    public void testNeitherReplyNorEventIsRefused() {
        IOException e = expectThrows(IOException.class, () -> CdpMessage.parse("{\"result\": {}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("neither a reply nor an event"));
        e = expectThrows(IOException.class, () -> CdpMessage.parse("{\"id\": \"x\"}"));
        assertTrue(e.getMessage(), e.getMessage().contains("non-numeric id [x]"));
    }
}
