package org.opensearch.cliphybrid.rest;

import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

/** The bodies _embed accepts, and the message each bad one gets. */
public class EmbedRequestTests extends OpenSearchTestCase {

    private static EmbedRequest parse(String json) throws IOException {
        try (
            XContentParser parser = JsonXContent.jsonXContent.createParser(
                NamedXContentRegistry.EMPTY,
                DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
                json
            )
        ) {
            return EmbedRequest.parse(parser);
        }
    }

    private static void assertRefused(String json, String fragment) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> parse(json));
        assertTrue("[" + fragment + "] not in [" + e.getMessage() + "]", e.getMessage().contains(fragment));
    }

    public void testListsAndModel() throws IOException {
        EmbedRequest r = parse("{\"texts\": [\"a dog\", \"a cat\"], \"images\": [\"x.jpg\"], \"model\": \"mini\"}");
        assertEquals(List.of("a dog", "a cat"), r.texts());
        assertEquals(List.of("x.jpg"), r.images());
        assertEquals("mini", r.model());
    }

    public void testSingleStringsNeedNoBrackets() throws IOException {
        EmbedRequest r = parse("{\"images\": \"x.jpg\", \"texts\": \"a dog\"}");
        assertEquals(List.of("a dog"), r.texts());
        assertEquals(List.of("x.jpg"), r.images());
        assertNull(r.model());
    }

    public void testOneSideIsEnough() throws IOException {
        assertEquals(List.of(), parse("{\"texts\": [\"a dog\"], \"images\": []}").images());
        assertEquals(List.of(), parse("{\"images\": [\"x.jpg\"]}").texts());
    }

    public void testAtMostMaxEntries() throws IOException {
        String full = "[" + String.join(",", Collections.nCopies(EmbedRequest.MAX_ENTRIES, "\"a\"")) + "]";
        assertEquals(EmbedRequest.MAX_ENTRIES, parse("{\"texts\": " + full + "}").texts().size());
        String over = "[" + String.join(",", Collections.nCopies(EmbedRequest.MAX_ENTRIES + 1, "\"a.jpg\"")) + "]";
        assertRefused("{\"images\": " + over + "}", "[images] has more than 64 entries");
    }

    public void testTextsHaveALengthLimit() {
        assertRefused("{\"texts\": [\"ok\", \"" + "a".repeat(2049) + "\"]}", "texts[1] has 2049 characters, more than the limit of 2048");
    }

    public void testTheTextsLanguage() throws IOException {
        assertEquals("deu_Latn", parse("{\"texts\": \"ein Hund\", \"language\": \"deu_Latn\"}").language());
        assertNull(parse("{\"texts\": \"a dog\"}").language());
        assertRefused("{\"texts\": \"ein Hund\", \"language\": \"german\"}", "[language] must be a FLORES-200 code");
        assertRefused("{\"texts\": \"ein Hund\", \"language\": 3}", "[language] must be a string");
        assertRefused("{\"images\": \"x.png\", \"language\": \"deu_Latn\"}", "[language] is the language of [texts], and there are none");
    }

    public void testBadBodies() {
        assertRefused("{}", "nothing to embed");
        assertRefused("{\"texts\": [], \"images\": []}", "nothing to embed");
        assertRefused("{\"model\": \"mini\"}", "nothing to embed");
        assertRefused("[\"a dog\"]", "must be an object");
        assertRefused("{\"texts\": [\"a dog\"], \"colour\": 1}", "unknown field [colour]");
        assertRefused("{\"texts\": [\"a dog\", 3]}", "texts[1] must be a string");
        assertRefused("{\"images\": [null]}", "images[0] must be a string");
        assertRefused("{\"texts\": {\"a\": 1}}", "[texts] must be a string or an array of strings");
        assertRefused("{\"texts\": [\"a dog\", \"  \"]}", "texts[1] is empty");
        assertRefused("{\"texts\": \"a dog\", \"model\": 7}", "[model] must be a string");
    }
}
