package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.Query;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchType;
import org.opensearch.cliphybrid.query.profile.ParameterGrid;
import org.opensearch.cliphybrid.query.profile.Profile;
import org.opensearch.cliphybrid.query.ClipHybridOptions.Fusion;
import org.opensearch.cliphybrid.query.fusion.RankFusion;
import org.opensearch.common.SetOnce;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryCoordinatorContext;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * {@code clip_hybrid}: the query's texts and/or image, encoded once per request by CLIP on the coordinating node, searched as a
 * vector (kNN on {@code vector_field}) and the texts as words (BM25 on {@code text_fields}). Composable mode ({@code calibrated},
 * the default) scores each document on its shard from its own cosine and BM25; rank modes ({@code rrf}, {@code linear}) fuse
 * the whole target's candidate lists once on the coordinator. The request's options are {@link ClipHybridOptions}, spelled by
 * {@link ClipHybridQueryParser}; this class holds what the coordinator's rewrite learns and the shard query it leads to.
 */
public final class ClipHybridQueryBuilder extends AbstractQueryBuilder<ClipHybridQueryBuilder> {
    public static final String NAME = ClipHybridOptions.NAME;

    private final QueryEncoder encoder;
    private ClipHybridOptions options;
    /** The names, best BM25 and model band the coordinator looked up; null: not looked. */
    private TextLookUp lookUp;
    private SetOnce<TextLookUp> pendingLookUp;
    /** Set by the coordinator's rewrite while the inputs are being encoded, from {@code encodedTexts}; never serialized. */
    private SetOnce<float[]> pendingVector;
    private List<WeightedText> encodedTexts;
    /** Rank modes: the fused documents of the whole target, once the coordinator has collected and fused both sides. */
    private List<CrossShardRankFusion.Hit> fusedHits;
    private SetOnce<List<CrossShardRankFusion.Hit>> pendingHits;
    /** {@code fold_duplicates}: the hits of the window that stay, once the coordinator has folded it; only they match. */
    private List<DuplicateFold.Kept> foldKept;
    private SetOnce<List<DuplicateFold.Kept>> pendingFold;
    /** The options with the profile's parameters, once the coordinator has read it; never serialized. */
    private SetOnce<ClipHybridOptions> pendingProfile;

    public ClipHybridQueryBuilder(ClipHybridOptions options, QueryEncoder encoder) {
        this.options = Objects.requireNonNull(options);
        this.encoder = encoder;
    }

    public ClipHybridQueryBuilder(StreamInput in, QueryEncoder encoder) throws IOException {
        super(in);
        this.encoder = encoder;
        options = ClipHybridQueryParser.readOptions(in);
        lookUp = TextLookUp.read(in);
        fusedHits = CrossShardRankFusion.readHits(in);
        foldKept = DuplicateFold.readKept(in);
    }

    public static ClipHybridQueryBuilder fromXContent(XContentParser parser, QueryEncoder encoder) throws IOException {
        return ClipHybridQueryParser.fromXContent(parser, encoder);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (pendingVector != null || pendingHits != null || pendingLookUp != null || pendingFold != null || pendingProfile != null) {
            throw new IllegalStateException(
                "[" + NAME + "] must be rewritten (profile read, inputs encoded, candidates fused, duplicates folded) before it is sent"
            );
        }
        ClipHybridQueryParser.writeOptions(out, options);
        TextLookUp.write(out, lookUp);
        CrossShardRankFusion.writeHits(out, fusedHits);
        DuplicateFold.writeKept(out, foldKept);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        ClipHybridQueryParser.toXContent(builder, options);
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    public ClipHybridOptions options() {
        return options;
    }

    ClipHybridQueryBuilder lookUp(TextLookUp found) {
        this.lookUp = found;
        return this;
    }

    ClipHybridQueryBuilder fusedHits(List<CrossShardRankFusion.Hit> hits) {
        this.fusedHits = List.copyOf(hits);
        return this;
    }

    ClipHybridQueryBuilder foldKept(List<DuplicateFold.Kept> kept) {
        this.foldKept = List.copyOf(kept);
        return this;
    }

    ProperNounRule properNounRule() {
        return new ProperNounRule(options, lookUp == null ? null : lookUp.names());
    }

    RankFusion rankFusion() {
        ProperNounRule rule = properNounRule();
        return options.rankFusion(rule.weights()).withNote(rule.note());
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        if (pendingProfile != null) {
            ClipHybridOptions applied = pendingProfile.get();
            if (applied == null) {
                return this;
            }
            ClipHybridQueryBuilder next = copy();
            next.options = applied;
            return next;
        }
        if (options.profile() != null) {
            // first, since the profile may change the mode, and with it every later step
            SetOnce<ClipHybridOptions> applied = new SetOnce<>();
            ClipHybridOptions o = options;
            context.registerAsyncAction(
                (client, listener) -> encoder.profiles()
                    .get(client, o.profile().name(), ActionListener.map(fillSlot(applied, listener), (Profile p) -> ParameterGrid.applyProfile(o, p)))
            );
            ClipHybridQueryBuilder pending = copy();
            pending.pendingProfile = applied;
            return pending;
        }
        if (pendingLookUp != null || pendingVector != null) {
            return afterLookups();
        }
        if (pendingHits != null) {
            List<CrossShardRankFusion.Hit> hits = pendingHits.get();
            return hits == null ? this : copy().fusedHits(hits);
        }
        if (pendingFold != null) {
            List<DuplicateFold.Kept> kept = pendingFold.get();
            return kept == null ? this : copy().foldKept(kept);
        }
        QueryCoordinatorContext coordinator = context.convertToCoordinatorContext();
        boolean onCoordinator = coordinator != null && coordinator.getSearchRequest() != null;
        boolean calibrated = options.fusion() == Fusion.CALIBRATED;
        boolean lookUpNeeded = lookUp == null
            && onCoordinator
            && (calibrated || (options.properNouns() != ClipHybridOptions.ProperNouns.OFF && options.textFields().isEmpty() == false));
        if (lookUpNeeded || options.queryVector() == null) {
            ClipHybridQueryBuilder pending = copy();
            if (options.queryVector() == null) {
                // encoded once, on the coordinating node, while the names are looked up (for most queries none are found and
                // the vector is ready with the answer); the shards get the vector. Registered first: the actions start in
                // order, and sending the look-up's searches takes a while that the encoder need not wait for
                SetOnce<float[]> encoded = new SetOnce<>();
                List<WeightedText> texts = properNounRule().textsToEncode();
                ClipHybridOptions o = options;
                SearchRequest target = onCoordinator ? (SearchRequest) coordinator.getSearchRequest() : null;
                context.registerAsyncAction(
                    (client, listener) -> encoder.encode(
                        client,
                        target,
                        o.model(),
                        texts,
                        o.promptTemplate(),
                        o.language(),
                        o.queryImage(),
                        o.queryDocument(),
                        o.vectorField(),
                        fillSlot(encoded, listener)
                    )
                );
                pending.pendingVector = encoded;
                pending.encodedTexts = texts;
            }
            if (lookUpNeeded) {
                SearchRequest request = (SearchRequest) coordinator.getSearchRequest();
                SetOnce<TextLookUp> found = new SetOnce<>();
                ClipHybridOptions o = options;
                boolean wantBest = calibrated && request.searchType() == SearchType.DFS_QUERY_THEN_FETCH;
                context.registerAsyncAction(
                    (client, listener) -> TextLookUp.run(client, encoder, request, o, wantBest, fillSlot(found, listener))
                );
                pending.pendingLookUp = found;
            }
            return pending;
        }
        QueryBuilder filter = options.filter();
        if (filter != null) {
            QueryBuilder rewritten = filter.rewrite(context);
            if (rewritten != filter) {
                ClipHybridQueryBuilder next = copy();
                next.options = options.withFilter(rewritten);
                return next;
            }
        }
        if (options.fusion() != Fusion.CALIBRATED && fusedHits == null && onCoordinator) {
            SearchRequest request = (SearchRequest) coordinator.getSearchRequest();
            RequestWindow.checkRankMode(request, options);
            return collectGlobalCandidates(context, request);
        }
        if (options.foldDuplicates() != null && foldKept == null && onCoordinator) {
            SearchRequest request = (SearchRequest) coordinator.getSearchRequest();
            RequestWindow.checkFold(request, options);
            return foldDuplicates(context, request);
        }
        return this;
    }

    /**
     * Takes the names and the vector that the coordinator looked up side by side. A vector encoded from words that turned out
     * to be names is dropped, and the next round encodes the rest of the words.
     */
    private QueryBuilder afterLookups() {
        TextLookUp found = pendingLookUp == null ? null : pendingLookUp.get();
        float[] vector = pendingVector == null ? null : pendingVector.get();
        if ((pendingLookUp != null && found == null) || (pendingVector != null && vector == null)) {
            return this;
        }
        ClipHybridQueryBuilder next = copy();
        if (pendingLookUp != null) {
            next.lookUp(found);
        }
        if (pendingVector != null && encodedTexts.equals(next.properNounRule().textsToEncode())) {
            next.options = next.options.withQueryVector(vector);
        }
        return next;
    }

    /**
     * The query's best window hits, searched as they are without folding (the vector, the names and, in rank modes, the fused
     * candidates are already known, so that search repeats none of this rewrite's work), folded on the coordinator.
     */
    private ClipHybridQueryBuilder foldDuplicates(QueryRewriteContext context, SearchRequest request) {
        SetOnce<List<DuplicateFold.Kept>> folded = new SetOnce<>();
        ClipHybridQueryBuilder unfolded = copy();
        unfolded.options = options.withoutFolding();
        unfolded.queryName(null);
        String vectorField = options.vectorField();
        ClipHybridOptions.FoldDuplicates fold = options.foldDuplicates();
        context.registerAsyncAction(
            (client, listener) -> DuplicateFoldSearch.fetch(client, request, unfolded, vectorField, fold, fillSlot(folded, listener))
        );
        ClipHybridQueryBuilder pending = copy();
        pending.pendingFold = folded;
        return pending;
    }

    /**
     * Rank modes across shards: fuse the whole target's best k vector and best window_size lexical hits, so that a document's rank
     * and score do not depend on the shard count. Where no coordinator is involved (a shard-level API such as _explain), fusion
     * falls back to one shard.
     */
    private ClipHybridQueryBuilder collectGlobalCandidates(QueryRewriteContext context, SearchRequest request) {
        SetOnce<List<CrossShardRankFusion.Hit>> collected = new SetOnce<>();
        QueryBuilder filter = properNounRule().filter();
        QueryBuilder vector = new ClipKnnQueryBuilder(options.vectorField(), options.queryVector(), options.knnBeam(), filter);
        QueryBuilder lexical = LexicalQuery.of(options.weightedTexts(), options.textFields(), filter);
        int k = options.k(), windowSize = options.effectiveWindowSize();
        float minScore = options.minScore();
        RankFusion fusion = rankFusion();
        context.registerAsyncAction(
            (client, listener) -> CrossShardRankFusion.fetch(
                client,
                request.indices(),
                request.indicesOptions(),
                vector,
                lexical,
                k,
                windowSize,
                fusion,
                ActionListener.map(
                    fillSlot(collected, listener),
                    (List<CrossShardRankFusion.Hit> hits) -> hits.stream().filter(h -> h.fused().score() >= minScore).toList()
                )
            )
        );
        ClipHybridQueryBuilder pending = copy();
        pending.pendingHits = collected;
        return pending;
    }

    /** An asynchronous rewrite action's listener: the result goes into the slot the next round reads, then the round is done. */
    private static <T> ActionListener<T> fillSlot(SetOnce<T> slot, ActionListener<?> done) {
        return ActionListener.wrap(result -> {
            slot.set(result);
            done.onResponse(null);
        }, done::onFailure);
    }

    private ClipHybridQueryBuilder copy() {
        ClipHybridQueryBuilder c = new ClipHybridQueryBuilder(options, encoder);
        c.lookUp = lookUp;
        c.fusedHits = fusedHits;
        c.foldKept = foldKept;
        c.boost(boost);
        c.queryName(queryName);
        return c;
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        Query query = ShardQueries.unfolded(this, context);
        return foldKept == null ? query : FoldedQuery.of(query, foldKept, context);
    }

    QueryEncoder encoder() {
        return encoder;
    }

    TextLookUp lookUp() {
        return lookUp;
    }

    List<CrossShardRankFusion.Hit> fusedHits() {
        return fusedHits;
    }

    @Override
    protected boolean doEquals(ClipHybridQueryBuilder other) {
        return options.equals(other.options)
            && Objects.equals(lookUp, other.lookUp)
            && pendingLookUp == other.pendingLookUp
            && pendingVector == other.pendingVector
            && pendingHits == other.pendingHits
            && pendingFold == other.pendingFold
            && Objects.equals(foldKept, other.foldKept)
            && pendingProfile == other.pendingProfile
            && CrossShardRankFusion.sameHits(fusedHits, other.fusedHits);
    }

    @Override
    protected int doHashCode() {
        return options.hashCode();
    }
}
