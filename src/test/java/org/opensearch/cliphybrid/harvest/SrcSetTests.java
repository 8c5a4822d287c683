package org.opensearch.cliphybrid.harvest;

import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

public class SrcSetTests extends OpenSearchTestCase {

    public void testWidthDescriptorsPickTheWidest() {
        assertEquals("b.jpg", SrcSet.largest("a.jpg 480w, b.jpg 1080w, c.jpg 800w").orElseThrow().url());
    }

    public void testDensityDescriptorsPickTheDensest() {
        assertEquals("hi.jpg", SrcSet.largest("lo.jpg, hi.jpg 2x, mid.jpg 1.5x").orElseThrow().url());
    }

    public void testCommasInsideUrlsStayInTheUrl() {
        List<SrcSet.Candidate> c = SrcSet.parse("/img?w=1,2 100w,/img?w=3,4 200w");
        assertEquals(List.of(new SrcSet.Candidate("/img?w=1,2", 100, 1), new SrcSet.Candidate("/img?w=3,4", 200, 1)), c);
    }

    public void testATrailingCommaEndsACandidateWithoutDescriptors() {
        List<SrcSet.Candidate> c = SrcSet.parse("a.jpg, b.jpg 2x");
        assertEquals(List.of(new SrcSet.Candidate("a.jpg", 0, 1), new SrcSet.Candidate("b.jpg", 0, 2)), c);
        // without whitespace after it, a comma is part of the URL, as the HTML standard reads it
        assertEquals(List.of(new SrcSet.Candidate("a.jpg,b.jpg", 0, 2)), SrcSet.parse("a.jpg,b.jpg 2x"));
    }

    public void testMalformedCandidatesAreDropped() {
        List<SrcSet.Candidate> c = SrcSet.parse("bad.jpg 12q, worse.jpg 0w, twice.jpg 2x 3x, ok.jpg 300w 200h");
        assertEquals(List.of(new SrcSet.Candidate("ok.jpg", 300, 1)), c);
    }

    public void testAWidthBeatsADensity() {
        assertEquals("w.jpg", SrcSet.largest("x.jpg 3x, w.jpg 10w").orElseThrow().url());
    }

    public void testEmptyOrMissing() {
        assertTrue(SrcSet.parse(null).isEmpty());
        assertTrue(SrcSet.largest("  ,  ").isEmpty());
    }
}
