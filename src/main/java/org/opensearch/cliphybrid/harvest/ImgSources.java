package org.opensearch.cliphybrid.harvest;

import org.jsoup.nodes.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The largest picture one {@code img} offers: its {@code src}, {@code srcset}, lazy attributes and {@code picture} sources. */
final class ImgSources {
    private ImgSources() {}

    // the formats ImageDecoder reads; a <picture> often lists AVIF or JPEG XL first, which would only fail to decode
    private static final Set<String> DECODABLE = Set.of("image/jpeg", "image/jpg", "image/png", "image/webp", "image/gif", "image/bmp");

    /** Null when the img offers no http(s) URL. */
    static Candidates.Tagged largest(Element img) {
        List<Candidates.Tagged> all = new ArrayList<>(own(img, FoundBy.IMG, FoundBy.SRCSET));
        Element parent = img.parent();
        if (parent != null && parent.normalName().equals("picture")) {
            for (Element source : parent.select("> source")) {
                String type = source.attr("type").strip().toLowerCase(Locale.ROOT);
                if (type.isEmpty() || DECODABLE.contains(type)) {
                    all.addAll(own(source, null, FoundBy.PICTURE));
                }
            }
        }
        return Candidates.largest(all);
    }

    /**
     * A lazy element's {@code src} and {@code srcset} hold a placeholder until a script swaps the real ones in, so when it has
     * lazy attributes only they count; {@code srcTag} null means the element has no {@code src} of its own.
     */
    private static List<Candidates.Tagged> own(Element e, FoundBy srcTag, FoundBy srcsetTag) {
        List<Candidates.Tagged> lazy = LazyImages.candidates(e);
        if (lazy.isEmpty() == false) {
            return lazy;
        }
        List<Candidates.Tagged> out = new ArrayList<>();
        if (srcTag != null) {
            Candidates src = new Candidates(srcTag);
            src.addUrl(e.absUrl("src"));
            out.addAll(src.list());
        }
        Candidates srcset = new Candidates(srcsetTag);
        srcset.addSrcSet(e.baseUri(), e.attr("srcset"));
        out.addAll(srcset.list());
        return out;
    }
}
