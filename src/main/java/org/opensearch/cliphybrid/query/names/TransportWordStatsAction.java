package org.opensearch.cliphybrid.query.names;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.broadcast.BroadcastShardOperationFailedException;
import org.opensearch.action.support.broadcast.TransportBroadcastAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.block.ClusterBlockException;
import org.opensearch.cluster.block.ClusterBlockLevel;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.routing.GroupShardsIterator;
import org.opensearch.cluster.routing.ShardIterator;
import org.opensearch.cluster.routing.ShardRouting;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.support.DefaultShardOperationFailedException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.index.IndexService;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperService;
import org.opensearch.indices.IndicesService;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** Each shard analyzes the words as each text field's search analyzer does and reads their terms' document frequencies. */
public final class TransportWordStatsAction extends TransportBroadcastAction<
    WordStatsRequest,
    WordStatsResponse,
    WordStatsRequest.Shard,
    WordStatsResponse.Shard> {

    private final IndicesService indices;

    @Inject
    public TransportWordStatsAction(
        ClusterService clusterService,
        TransportService transportService,
        IndicesService indices,
        ActionFilters actionFilters,
        IndexNameExpressionResolver resolver
    ) {
        super(
            WordStatsAction.NAME,
            clusterService,
            transportService,
            actionFilters,
            resolver,
            WordStatsRequest::new,
            WordStatsRequest.Shard::new,
            ThreadPool.Names.SEARCH
        );
        this.indices = indices;
    }

    @Override
    protected WordStatsResponse.Shard shardOperation(WordStatsRequest.Shard request, Task task) throws IOException {
        IndexService index = indices.indexServiceSafe(request.shardId().getIndex());
        MapperService mappers = index.mapperService();
        List<MappedFieldType> fields = new ArrayList<>();
        for (String name : fieldNames(mappers, request.fields)) {
            MappedFieldType type = mappers.fieldType(name);
            if (type != null && type.getTextSearchInfo() != null && type.isSearchable()) {
                fields.add(type);
            }
        }
        try (Engine.Searcher searcher = index.getShard(request.shardId().id()).acquireSearcher("clip_word_stats")) {
            IndexReader reader = searcher.getIndexReader();
            long[] docFreqs = new long[request.words.size()];
            for (int w = 0; w < docFreqs.length; w++) {
                for (MappedFieldType field : fields) {
                    docFreqs[w] += docFreq(reader, field, request.words.get(w));
                }
            }
            return new WordStatsResponse.Shard(request.shardId(), reader.numDocs(), docFreqs);
        }
    }

    /** The mapped fields that names and patterns ({@code ^boost} cut) mean on this index. */
    private static Set<String> fieldNames(MapperService mappers, List<String> fields) {
        Set<String> out = new LinkedHashSet<>();
        for (String field : fields) {
            int caret = field.indexOf('^');
            out.addAll(mappers.simpleMatchToFullName(caret < 0 ? field : field.substring(0, caret)));
        }
        return out;
    }

    /** The documents whose field holds the word's rarest term, as the field's search analyzer cuts it; 0 when it holds none. */
    private static long docFreq(IndexReader reader, MappedFieldType field, String word) throws IOException {
        Analyzer analyzer = field.getTextSearchInfo().getSearchAnalyzer();
        if (analyzer == null) {
            return reader.docFreq(new Term(field.name(), word));
        }
        long rarest = -1;
        try (TokenStream tokens = analyzer.tokenStream(field.name(), word)) {
            TermToBytesRefAttribute term = tokens.addAttribute(TermToBytesRefAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                long df = reader.docFreq(new Term(field.name(), BytesRef.deepCopyOf(term.getBytesRef())));
                rarest = rarest < 0 ? df : Math.min(rarest, df);
            }
            tokens.end();
        }
        return Math.max(0, rarest);
    }

    @Override
    protected WordStatsResponse newResponse(WordStatsRequest request, AtomicReferenceArray shards, ClusterState state) {
        int successful = 0, failed = 0;
        long docs = 0;
        long[] docFreqs = new long[request.words().size()];
        List<DefaultShardOperationFailedException> failures = new ArrayList<>();
        for (int i = 0; i < shards.length(); i++) {
            Object shard = shards.get(i);
            if (shard instanceof WordStatsResponse.Shard s) {
                successful++;
                docs += s.docs;
                for (int w = 0; w < docFreqs.length; w++) {
                    docFreqs[w] += s.docFreqs[w];
                }
            } else if (shard instanceof BroadcastShardOperationFailedException e) {
                failed++;
                failures.add(new DefaultShardOperationFailedException(e));
            }
        }
        return new WordStatsResponse(shards.length(), successful, failed, failures, docs, docFreqs);
    }

    @Override
    protected WordStatsRequest.Shard newShardRequest(int numShards, ShardRouting shard, WordStatsRequest request) {
        return new WordStatsRequest.Shard(shard.shardId(), request);
    }

    @Override
    protected WordStatsResponse.Shard readShardResponse(StreamInput in) throws IOException {
        return new WordStatsResponse.Shard(in);
    }

    @Override
    protected GroupShardsIterator<ShardIterator> shards(ClusterState state, WordStatsRequest request, String[] concreteIndices) {
        return clusterService.operationRouting().searchShards(state, concreteIndices, null, null);
    }

    @Override
    protected ClusterBlockException checkGlobalBlock(ClusterState state, WordStatsRequest request) {
        return state.blocks().globalBlockedException(ClusterBlockLevel.READ);
    }

    @Override
    protected ClusterBlockException checkRequestBlock(ClusterState state, WordStatsRequest request, String[] concreteIndices) {
        return state.blocks().indicesBlockedException(ClusterBlockLevel.READ, concreteIndices);
    }
}
