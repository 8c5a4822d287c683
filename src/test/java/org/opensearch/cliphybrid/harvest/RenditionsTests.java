package org.opensearch.cliphybrid.harvest;

import org.opensearch.test.OpenSearchTestCase;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Which URLs are renditions of one picture, which is kept, and the near misses that must stay two pictures. */
public class RenditionsTests extends OpenSearchTestCase {

    private static List<HarvestedImage> fold(String... urls) {
        return Renditions.fold(
            Arrays.stream(urls).map(u -> new HarvestedImage(u, null, null, null, null, null, null).tagged(FoundBy.IMG)).toList()
        );
    }

    /** The URLs fold into one image at {@code kept}; the others, in order, are its renditions. */
    private static void assertFolded(String kept, String... urls) {
        List<HarvestedImage> folded = fold(urls);
        assertEquals(Arrays.toString(urls), 1, folded.size());
        assertEquals(kept, folded.get(0).url());
        assertEquals(Arrays.stream(urls).filter(u -> u.equals(kept) == false).toList(), folded.get(0).renditions());
    }

    private static void assertApart(String... urls) {
        List<HarvestedImage> folded = fold(urls);
        assertEquals(List.of(urls), folded.stream().map(HarvestedImage::url).toList());
        for (HarvestedImage image : folded) {
            assertEquals(image.url(), List.of(), image.renditions());
        }
    }

    public void testFileNameTokens() {
        assertFolded("https://x.org/p/red-fox-600w-2234567.jpg", "https://x.org/p/red-fox-260nw-2234567.jpg", "https://x.org/p/red-fox-600w-2234567.jpg");
        assertFolded("https://x.org/p/dog_600x400.jpg", "https://x.org/p/dog_260x180.jpg", "https://x.org/p/dog_600x400.jpg");
        assertFolded("https://x.org/p/dog-1024px.png", "https://x.org/p/dog-1024px.png", "https://x.org/p/dog-320px.png");
        assertFolded("https://x.org/p/dog.w_800.jpg", "https://x.org/p/dog.w_400.jpg", "https://x.org/p/dog.w_800.jpg");
        assertFolded("https://x.org/p/dog@2x.jpg", "https://x.org/p/dog@1x.jpg", "https://x.org/p/dog@2x.jpg");
        // without a density token a URL is the 1x one, not an original
        assertFolded("https://x.org/p/dog@2x.jpg", "https://x.org/p/dog.jpg", "https://x.org/p/dog@2x.jpg");
    }

    public void testTheUrlWithoutATokenIsTheOriginal() {
        // WordPress: name.jpg is the upload, name-300x200.jpg and name-1024x683.jpg were cut from it
        assertFolded(
            "https://x.org/wp-content/uploads/2024/05/lake.jpg",
            "https://x.org/wp-content/uploads/2024/05/lake-300x200.jpg",
            "https://x.org/wp-content/uploads/2024/05/lake.jpg",
            "https://x.org/wp-content/uploads/2024/05/lake-1024x683.jpg"
        );
        assertFolded("https://x.org/p/a.jpg", "https://x.org/p/a.jpg?w=600", "https://x.org/p/a.jpg");
    }

    public void testDirectorySegments() {
        assertFolded("https://x.org/i/600x400/abc.jpg", "https://x.org/i/260x180/abc.jpg", "https://x.org/i/600x400/abc.jpg");
        assertFolded("https://x.org/i/w1200/abc.jpg", "https://x.org/i/w1200/abc.jpg", "https://x.org/i/w300/abc.jpg");
        assertFolded("https://b.org/img/s1600/pic.jpg", "https://b.org/img/s320/pic.jpg", "https://b.org/img/s1600/pic.jpg");
        assertFolded("https://b.org/img/w640-h480/pic.jpg", "https://b.org/img/w320-h240/pic.jpg", "https://b.org/img/w640-h480/pic.jpg");
        assertFolded(
            "https://c.org/image/upload/w_1200,h_800,c_fill/v1/sample.jpg",
            "https://c.org/image/upload/w_300,h_200,c_fill/v1/sample.jpg",
            "https://c.org/image/upload/w_1200,h_800,c_fill/v1/sample.jpg"
        );
        assertFolded("https://x.org/resize/600/abc.jpg", "https://x.org/resize/260/abc.jpg", "https://x.org/resize/600/abc.jpg");
        assertFolded("https://x.org/p/large/abc.jpg", "https://x.org/p/thumb/abc.jpg", "https://x.org/p/large/abc.jpg", "https://x.org/p/medium/abc.jpg");
    }

    public void testQueryParameters() {
        assertFolded(
            "https://images.x.org/photo-123?ixlib=rb-4&w=1080&q=80",
            "https://images.x.org/photo-123?ixlib=rb-4&w=400&q=80",
            "https://images.x.org/photo-123?ixlib=rb-4&w=1080&q=80"
        );
        // parameters in another order, and a height that only one of them gives
        assertFolded(
            "https://x.org/photos/1/p.jpeg?auto=compress&h=650&w=940",
            "https://x.org/photos/1/p.jpeg?w=600&auto=compress",
            "https://x.org/photos/1/p.jpeg?auto=compress&h=650&w=940"
        );
        assertFolded("https://x.org/a.jpg?size=1200x800", "https://x.org/a.jpg?size=300x200", "https://x.org/a.jpg?size=1200x800");
        assertFolded("https://x.org/a.jpg?size=large", "https://x.org/a.jpg?size=small", "https://x.org/a.jpg?size=large");
        assertFolded("https://x.org/a.jpg?w=600&dpr=2", "https://x.org/a.jpg?w=600&dpr=1", "https://x.org/a.jpg?w=600&dpr=2");
    }

    public void testDifferentPicturesThatShareNumbersStayApart() {
        assertApart("https://x.org/photos/1234.jpg", "https://x.org/photos/1235.jpg");
        // a bare number directory is an id as often as a size
        assertApart("https://x.org/products/101/main.jpg", "https://x.org/products/102/main.jpg");
        assertApart("https://x.org/260/abc.jpg", "https://x.org/600/abc.jpg");
        // the id beside the token differs
        assertApart("https://x.org/p/fox-260nw-2234567.jpg", "https://x.org/p/fox-600w-2234568.jpg");
        assertApart("https://x.org/photos/1234_260x180.jpg", "https://x.org/photos/1235_600x400.jpg");
        // a number that is part of a word or an id is no token
        assertApart("https://x.org/p/img600.jpg", "https://x.org/p/img260.jpg");
        assertApart("https://x.org/p/a-600.jpg", "https://x.org/p/a-260.jpg");
        // an id in the query, another host, another extension, another transform
        assertApart("https://x.org/img.php?id=1&w=600", "https://x.org/img.php?id=2&w=260");
        assertApart("https://a.x.org/p/dog-600w.jpg", "https://b.x.org/p/dog-260w.jpg");
        assertApart("https://x.org/p/dog-600w.jpg", "https://x.org/p/dog-260w.webp");
        assertApart("https://c.org/u/w_600,c_fill/s.jpg", "https://c.org/u/w_300,c_crop/s.jpg");
        // a signature in s is no size
        assertApart("https://x.org/a.jpg?s=abc123", "https://x.org/a.jpg?s=def456");
    }

    public void testFoldedImageKeepsEveryonesTextAndOrder() {
        List<HarvestedImage> folded = Renditions.fold(
            List.of(
                new HarvestedImage("https://x.org/a-260w.jpg", "small alt", "t", null, "H", "P", "S").tagged(FoundBy.IMG),
                new HarvestedImage("https://x.org/other.jpg", null, null, null, null, null, null).tagged(FoundBy.IMG),
                new HarvestedImage("https://x.org/a-600w.jpg", null, null, "cap", null, null, "S").tagged(FoundBy.SCRIPT_JSON)
            )
        );
        assertEquals(2, folded.size());
        HarvestedImage a = folded.get(0);
        assertEquals("https://x.org/a-600w.jpg", a.url());
        assertEquals("small alt", a.alt());
        assertEquals("cap", a.caption());
        assertEquals("H", a.heading());
        assertEquals(Set.of(FoundBy.IMG, FoundBy.SCRIPT_JSON), a.foundBy());
        assertEquals(List.of("https://x.org/a-260w.jpg"), a.renditions());
        assertEquals("https://x.org/other.jpg", folded.get(1).url());
    }

    public void testUnreadableUrlsAreTheirOwnPicture() {
        assertApart("https://x.org/a b-260w.jpg", "https://x.org/a b-600w.jpg");
    }
}
