package org.opensearch.cliphybrid.harvest;

import org.opensearch.test.OpenSearchTestCase;

public class RobotsTxtTests extends OpenSearchTestCase {
    private static final String AGENT = "clip-hybrid-search";

    public void testOurGroupWinsOverTheStarGroup() {
        RobotsTxt r = RobotsTxt.parse("""
            User-agent: *
            Disallow: /

            User-agent: Clip-Hybrid-Search/2.0
            Disallow: /private/
            """, AGENT);
        assertTrue(r.allows("/public/a.jpg"));
        assertFalse(r.allows("/private/a.jpg"));
    }

    public void testStarGroupAppliesWhenNoGroupNamesUs() {
        RobotsTxt r = RobotsTxt.parse("User-agent: googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp # comment\n", AGENT);
        assertTrue(r.allows("/index.html"));
        assertFalse(r.allows("/tmp/x.png"));
        assertFalse(r.allows("/tmpfile"));
    }

    public void testLongestMatchWinsAndAllowWinsATie() {
        RobotsTxt r = RobotsTxt.parse("user-agent: *\ndisallow: /img/\nallow: /img/public/\nallow: /same\ndisallow: /same\n", AGENT);
        assertFalse(r.allows("/img/a.jpg"));
        assertTrue(r.allows("/img/public/a.jpg"));
        assertTrue(r.allows("/same"));
    }

    public void testWildcardsAndEndAnchor() {
        RobotsTxt r = RobotsTxt.parse("User-agent: *\nDisallow: /*.gif$\nDisallow: /*/thumbs/\n", AGENT);
        assertFalse(r.allows("/a/b.gif"));
        assertTrue(r.allows("/a/b.gif?x=1"));
        assertFalse(r.allows("/x/thumbs/1.jpg"));
        assertTrue(r.allows("/thumbs/1.jpg"));
    }

    public void testGroupsForUsAreMergedAndConsecutiveAgentsShareRules() {
        RobotsTxt r = RobotsTxt.parse("""
            User-agent: other
            User-agent: clip-hybrid-search
            Disallow: /a
            User-agent: *
            Disallow: /b
            User-agent: clip-hybrid-search
            Disallow: /c
            """, AGENT);
        assertFalse(r.allows("/a"));
        assertTrue(r.allows("/b"));
        assertFalse(r.allows("/c"));
    }

    public void testAnEmptyGroupOrEmptyDisallowAllowsEverything() {
        assertTrue(RobotsTxt.parse("User-agent: *\nDisallow: /\nUser-agent: clip-hybrid-search\n", AGENT).allows("/x"));
        assertTrue(RobotsTxt.parse("User-agent: *\nDisallow:\n", AGENT).allows("/x"));
        assertTrue(RobotsTxt.parse("", AGENT).allows("/x"));
        assertFalse(RobotsTxt.DISALLOW_ALL.allows("/"));
    }

    public void testManyWildcardsStayFast() {
        RobotsTxt r = RobotsTxt.parse("User-agent: *\nDisallow: /" + "*a".repeat(200) + "b$\n", AGENT);
        assertTrue(r.allows("/" + "a".repeat(5000)));
    }
}
