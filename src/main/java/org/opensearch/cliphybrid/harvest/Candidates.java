package org.opensearch.cliphybrid.harvest;

import java.util.ArrayList;
import java.util.List;

/** The candidate URLs one element offers for its picture, each with how it was found; the largest is the one to embed. */
final class Candidates {
    record Tagged(SrcSet.Candidate candidate, FoundBy how) {
        String url() {
            return candidate.url();
        }
    }

    private final FoundBy how;
    private final List<Tagged> list = new ArrayList<>();

    Candidates(FoundBy how) {
        this.how = how;
    }

    /** An absolute URL from a src-like attribute; anything but http(s) is dropped. */
    void addUrl(String absoluteUrl) {
        String url = Urls.httpUrl(absoluteUrl);
        if (url != null) {
            list.add(new Tagged(new SrcSet.Candidate(url, 0, 1), how));
        }
    }

    /** Each candidate of a srcset, resolved against {@code base}. */
    void addSrcSet(String base, String srcset) {
        for (SrcSet.Candidate c : SrcSet.parse(srcset)) {
            String url = Urls.httpUrl(Urls.resolve(base, c.url()));
            if (url != null) {
                list.add(new Tagged(new SrcSet.Candidate(url, c.width(), c.density()), how));
            }
        }
    }

    List<Tagged> list() {
        return list;
    }

    /** The largest by {@link SrcSet#SIZE}; the first listed wins a tie. Null when there is none. */
    static Tagged largest(List<Tagged> candidates) {
        Tagged best = null;
        for (Tagged t : candidates) {
            if (best == null || SrcSet.SIZE.compare(t.candidate(), best.candidate()) > 0) {
                best = t;
            }
        }
        return best;
    }
}
