package org.opensearch.cliphybrid.harvest;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.tasks.Task;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** A harvest's counts at one moment: the status of its task while it runs, and the body of its summary at the end. */
public record HarvestStatus(
    String phase,
    long pagesFetched,
    long pagesFailed,
    long pagesSkippedByRobots,
    long pagesQueued,
    long imagesFound,
    long imagesIndexed,
    long imagesFailed,
    long imagesSkippedByRobots,
    List<FailureGroup> failures,
    long pagesLinksDropped,
    long imagesDropped,
    Map<String, Long> imagesFoundBy,
    long imagesRenditions
) implements Task.Status {

    public static final String NAME = "clip_harvest";

    /** {@code imagesFoundBy}: per {@link FoundBy#tag()}, the images found that way (one found two ways counts under both). */
    public HarvestStatus {
        imagesFoundBy = Map.copyOf(imagesFoundBy);
    }

    /** Failures with one cause, with the first few URLs that failed so, since one reason often hits many images. */
    public record FailureGroup(String reason, long count, List<String> examples) implements Writeable {
        FailureGroup(StreamInput in) throws IOException {
            this(in.readString(), in.readVLong(), in.readStringList());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(reason);
            out.writeVLong(count);
            out.writeStringCollection(examples);
        }
    }

    public HarvestStatus(StreamInput in) throws IOException {
        this(
            in.readString(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readList(FailureGroup::new),
            in.readVLong(),
            in.readVLong(),
            in.readMap(StreamInput::readString, StreamInput::readVLong),
            in.readVLong()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(phase);
        out.writeVLong(pagesFetched);
        out.writeVLong(pagesFailed);
        out.writeVLong(pagesSkippedByRobots);
        out.writeVLong(pagesQueued);
        out.writeVLong(imagesFound);
        out.writeVLong(imagesIndexed);
        out.writeVLong(imagesFailed);
        out.writeVLong(imagesSkippedByRobots);
        out.writeList(failures);
        out.writeVLong(pagesLinksDropped);
        out.writeVLong(imagesDropped);
        out.writeMap(imagesFoundBy, StreamOutput::writeString, StreamOutput::writeVLong);
        out.writeVLong(imagesRenditions);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        fields(builder);
        return builder.endObject();
    }

    /** The fields without the enclosing object, so that the final summary can add its own beside them. */
    void fields(XContentBuilder builder) throws IOException {
        builder.field("phase", phase);
        builder.startObject("pages")
            .field("fetched", pagesFetched)
            .field("failed", pagesFailed)
            .field("skipped_by_robots", pagesSkippedByRobots)
            .field("queued", pagesQueued)
            .field("links_dropped", pagesLinksDropped)
            .endObject();
        builder.startObject("images")
            .field("found", imagesFound)
            .field("indexed", imagesIndexed)
            .field("failed", imagesFailed)
            .field("skipped_by_robots", imagesSkippedByRobots)
            .field("dropped", imagesDropped)
            .field("renditions", imagesRenditions);
        // in FoundBy's order, whatever order the map came in from the wire
        builder.startObject("found_by");
        for (FoundBy how : FoundBy.values()) {
            Long n = imagesFoundBy.get(how.tag());
            if (n != null) {
                builder.field(how.tag(), n);
            }
        }
        builder.endObject().endObject();
        builder.startArray("failures");
        for (FailureGroup f : failures) {
            builder.startObject().field("reason", f.reason()).field("count", f.count()).field("examples", f.examples()).endObject();
        }
        builder.endArray();
    }
}
