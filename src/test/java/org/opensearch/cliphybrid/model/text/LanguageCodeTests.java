package org.opensearch.cliphybrid.model.text;

import org.opensearch.cliphybrid.model.DjlRuntime;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a chosen language's code goes in an NLLB sequence, for each template transformers has written: first in place of
 * the default (today's), last in place of the default (the legacy one, {@code legacy_behaviour: true}), and first when the
 * template holds none. The fixture's tokenizer is rewritten with each template; its ids are those of the goldens' script.
 */
public class LanguageCodeTests extends OpenSearchTestCase {
    private static final long ENG = 111;
    private static final long DEU = 112;
    private static final long END = 2;

    private Path tokenizer(List<Object> single) throws Exception {
        Path from = Path.of(getClass().getResource("/families/immich-nllb-tiny/textual/tokenizer.json").toURI());
        Map<String, Object> json;
        try (
            XContentParser parser = JsonXContent.jsonXContent.createParser(
                NamedXContentRegistry.EMPTY,
                DeprecationHandler.IGNORE_DEPRECATIONS,
                Files.newInputStream(from)
            )
        ) {
            json = parser.map();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> post = (Map<String, Object>) json.get("post_processor");
        post.put("single", single);
        post.put("pair", single);
        Path to = createTempDir().resolve("tokenizer.json");
        try (var builder = XContentFactory.jsonBuilder()) {
            Files.writeString(to, builder.map(json).toString());
        }
        return to;
    }

    private static Map<String, Object> special(String id) {
        return Map.of("SpecialToken", Map.of("id", id, "type_id", 0));
    }

    private static final Map<String, Object> TEXT = Map.of("Sequence", Map.of("id", "A", "type_id", 0));

    private long[][] encode(List<Object> single, String text, int maxLength) throws Exception {
        TokenizerSpec spec = new TokenizerSpec(tokenizer(single), TextCleaning.WHITESPACE, maxLength, maxLength, "<pad>", true);
        return DjlRuntime.call(() -> {
            try (TextTokenizer t = TextTokenizer.load(spec)) {
                return new long[][] { t.encode(text), t.encode(text, "deu_Latn"), t.encode(text, "eng_Latn") };
            }
        });
    }

    public void testTheDefaultFirstIsReplacedInPlace() throws Exception {
        long[][] ids = encode(List.of(special("eng_Latn"), TEXT, special("</s>")), "a dog", 77);
        assertEquals(ENG, ids[0][0]);
        assertEquals(DEU, ids[1][0]);
        assertArrayEquals(ids[0], ids[2]);
        assertEquals(ids[0].length, ids[1].length);
        assertArrayEquals(java.util.Arrays.copyOfRange(ids[0], 1, ids[0].length), java.util.Arrays.copyOfRange(ids[1], 1, ids[1].length));
    }

    public void testTheLegacyTemplateKeepsItsLanguageLast() throws Exception {
        long[][] ids = encode(List.of(TEXT, special("</s>"), special("eng_Latn")), "a dog", 77);
        assertEquals(ENG, ids[0][ids[0].length - 1]);
        assertEquals(END, ids[1][ids[1].length - 2]);
        assertEquals(DEU, ids[1][ids[1].length - 1]);
    }

    public void testATemplateWithoutALanguageGetsTheCodeFirstAndKeepsItsEndWhenFull() throws Exception {
        List<Object> noLanguage = new ArrayList<>(List.of(TEXT, special("</s>")));
        long[][] ids = encode(noLanguage, "a dog", 77);
        assertEquals(ids[0].length + 1, ids[1].length);
        assertEquals(DEU, ids[1][0]);
        long[][] full = encode(noLanguage, "a long caption about a little girl in a pink dress climbing the stairs", 6);
        assertEquals(6, full[0].length);
        assertEquals(6, full[1].length);
        assertEquals(DEU, full[1][0]);
        assertEquals(END, full[1][5]);
        assertArrayEquals(java.util.Arrays.copyOfRange(full[0], 0, 4), java.util.Arrays.copyOfRange(full[1], 1, 5));
    }

    public void testAnUnknownCodeIsRefused() throws Exception {
        TokenizerSpec spec = new TokenizerSpec(
            tokenizer(List.of(special("eng_Latn"), TEXT, special("</s>"))),
            TextCleaning.WHITESPACE,
            77,
            77,
            "<pad>",
            true
        );
        IllegalArgumentException e = DjlRuntime.call(() -> {
            try (TextTokenizer t = TextTokenizer.load(spec)) {
                return expectThrows(IllegalArgumentException.class, () -> t.encode("a dog", "kor_Hang"));
            }
        });
        assertEquals("the tokenizer knows no language [kor_Hang]", e.getMessage());
    }
}
