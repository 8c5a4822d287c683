package org.opensearch.cliphybrid.model.text;

import org.opensearch.test.OpenSearchTestCase;

/** SigLIP's canonicalize_text: ASCII punctuation goes, whitespace collapses, case folds; letters beyond ASCII stay. */
public class TextCleaningTests extends OpenSearchTestCase {

    public void testCanonicalizeDropsAsciiPunctuationAndFoldsCase() {
        assertEquals("a dog running", TextCleaning.CANONICALIZE.apply("  A dog,   running!  "));
        assertEquals("zürich café", TextCleaning.CANONICALIZE.apply("Zürich Café."));
        assertEquals("its 5pm", TextCleaning.CANONICALIZE.apply("it's 5pm"));
        // only Python's string.punctuation goes: typographic quotes and dashes are letters to the tokenizer
        assertEquals("«quoted» – dash", TextCleaning.CANONICALIZE.apply("«quoted» – dash"));
        assertEquals("tabs and lines", TextCleaning.CANONICALIZE.apply("tabs\tand\nlines"));
        assertEquals("", TextCleaning.CANONICALIZE.apply(" !?. "));
    }

    /** open_clip's clean="whitespace" and Immich's clean_text: runs of any whitespace become one space; case and punctuation stay. */
    public void testWhitespaceCollapsesRunsOnly() {
        assertEquals("A dog, running!", TextCleaning.WHITESPACE.apply("  A dog,\t  running!\n "));
        assertEquals("two people", TextCleaning.WHITESPACE.apply("two\u00A0\u2003 people"));
    }

    public void testNoneLeavesTheTextToTheTokenizer() {
        assertEquals("  A dog,  running! ", TextCleaning.NONE.apply("  A dog,  running! "));
    }
}
