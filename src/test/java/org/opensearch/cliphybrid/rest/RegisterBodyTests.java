package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.model.registered.ModelStoreRequest;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;

/** The _register body: none or a URL with an optional SHA-256; every refusal names its field. */
public class RegisterBodyTests extends OpenSearchTestCase {
    private static final String SHA = "ab".repeat(32);

    private static ModelStoreRequest parse(String json) throws IOException {
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
            return RegisterBody.parse("m", parser);
        }
    }

    private static String refusal(String json) {
        return expectThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    public void testUrlAndShaAreTaken() throws IOException {
        ModelStoreRequest r = parse("{\"url\": \"https://example.org/m.zip\", \"sha256\": \"" + SHA.toUpperCase(java.util.Locale.ROOT) + "\"}");
        assertEquals("https://example.org/m.zip", r.url());
        assertEquals("lower-cased", SHA, r.sha256());
        assertNull(parse("{\"url\": \"http://example.org/m.zip\"}").sha256());
        ModelStoreRequest empty = parse("{}");
        assertNull("an empty object registers the uploaded chunks", empty.url());
    }

    public void testRefusalsNameTheField() {
        assertTrue(refusal("{\"url\": \"ftp://example.org/m.zip\"}").startsWith("[url] [ftp://example.org/m.zip] must be an http or https URL"));
        assertTrue(refusal("{\"url\": \"https:///m.zip\"}").startsWith("[url]"));
        assertTrue(refusal("{\"url\": \"http://exa mple.org/\"}").contains("is not a valid URL"));
        String userInfo = refusal("{\"url\": \"https://me:secret@example.org/m.zip\"}");
        assertTrue(userInfo, userInfo.contains("must not carry a user or password"));
        assertFalse("the password is not repeated", userInfo.contains("secret"));
        assertTrue(refusal("{\"url\": 7}").startsWith("[url] must be a string"));
        assertTrue(refusal("{\"url\": \"https://example.org/m.zip\", \"sha256\": \"abc\"}").startsWith("[sha256] must be 64 hexadecimal digits"));
        assertTrue(refusal("{\"sha256\": \"" + SHA + "\"}").startsWith("[sha256] checks the zip fetched from [url]"));
        assertTrue(refusal("{\"uri\": \"https://example.org/m.zip\"}").contains("got [uri]"));
        assertTrue(refusal("[]").contains("must be a JSON object"));
    }
}
