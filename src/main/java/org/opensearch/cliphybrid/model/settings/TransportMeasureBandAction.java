package org.opensearch.cliphybrid.model.settings;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.admin.cluster.settings.ClusterUpdateSettingsRequest;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.Vectors;
import org.opensearch.cliphybrid.provenance.VectorModel;
import org.opensearch.cliphybrid.provenance.VectorModels;
import org.opensearch.cliphybrid.query.QueryEncoder;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.query.functionscore.ScoreFunctionBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures a model's cosine band on a sample of an index: the documents' own texts, embedded by the model on the inference
 * pool, against the documents' stored vectors. The search runs with the caller's rights, and so does storing the band (which
 * needs {@code cluster:admin/settings/update}).
 */
public final class TransportMeasureBandAction extends HandledTransportAction<MeasureBandRequest, MeasureBandResponse> {
    /** The whole measurement's time limit: the search's timeout, and the embedding stops between batches past it. */
    static final TimeValue MAX_TIME = TimeValue.timeValueMinutes(2);
    private static final int TEXT_BATCH = 64;

    private final Client client;
    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;
    private final InferenceService inference;
    private final ThreadPool threadPool;

    @Inject
    public TransportMeasureBandAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ClusterService clusterService,
        IndexNameExpressionResolver resolver,
        InferenceService inference,
        ThreadPool threadPool
    ) {
        super(MeasureBandAction.NAME, transportService, actionFilters, MeasureBandRequest::new);
        this.client = client;
        this.clusterService = clusterService;
        this.resolver = resolver;
        this.inference = inference;
        this.threadPool = threadPool;
    }

    private record Sample(List<String> texts, List<float[]> vectors) {}

    @Override
    protected void doExecute(Task task, MeasureBandRequest request, ActionListener<MeasureBandResponse> listener) {
        long deadline = System.nanoTime() + MAX_TIME.nanos();
        // the model loads on first use: on the inference pool, never on this transport thread
        inference.execute(request.model(), model -> {
            checkProvenance(clusterService.state(), request, VectorModel.of(model));
            return model;
        }, ActionListener.wrap(model -> search(request, ActionListener.wrap(sample -> inference.execute(
            request.model(),
            m -> embed(m, sample.texts(), Overrides.forModel(clusterService.state().metadata().settings(), m.name()).language(), deadline),
            // the n² cosines take seconds at 2000 documents: on the generic pool, so that ingest's encodings need not wait
            ActionListener.wrap(texts -> threadPool.generic().execute(() -> {
                BandMeasurement.Result result;
                try {
                    result = BandMeasurement.measure(texts, sample.vectors().toArray(new float[0][]));
                } catch (Exception e) {
                    listener.onFailure(e);
                    return;
                }
                store(request, result, listener);
            }), listener::onFailure)
        ), listener::onFailure)), listener::onFailure));
    }

    /** Refuses a field whose vectors another model made: their cosines with this model's texts would be noise. */
    private void checkProvenance(ClusterState state, MeasureBandRequest request, VectorModel model) {
        String[] indices = resolver.concreteIndexNames(state, IndicesOptions.strictExpandOpen(), request.index());
        for (String index : indices) {
            VectorModel stamped = VectorModels.stamped(state, index, request.vectorField());
            if (stamped != null && stamped.sameVectors(model) == false) {
                throw new OpenSearchStatusException(
                    "[vector_field] [" + request.vectorField() + "] of index [" + index + "] holds vectors of model " + stamped.describe()
                        + ", not of model " + model.describe() + ": measure the band with \"" + stamped.name() + "\"",
                    RestStatus.BAD_REQUEST
                );
            }
        }
    }

    private void search(MeasureBandRequest request, ActionListener<Sample> listener) {
        SearchSourceBuilder source = new SearchSourceBuilder().query(
            // a seeded random sample: the same documents each time, and not just the first ones indexed
            QueryBuilders.functionScoreQuery(
                QueryBuilders.boolQuery()
                    .filter(QueryBuilders.existsQuery(request.vectorField()))
                    .filter(QueryBuilders.existsQuery(request.textField())),
                ScoreFunctionBuilders.randomFunction().seed(1).setField("_seq_no")
            )
        ).size(request.sampleSize()).fetchSource(new String[] { request.vectorField(), request.textField() }, null).timeout(MAX_TIME);
        client.search(new SearchRequest(request.index()).source(source), ActionListener.wrap((SearchResponse response) -> {
            List<String> texts = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (SearchHit hit : response.getHits().getHits()) {
                Map<String, Object> doc = hit.getSourceAsMap();
                Object vector = extract(doc, request.vectorField());
                String text = text(extract(doc, request.textField()));
                if (vector instanceof List<?> list && list.isEmpty() == false && text != null) {
                    String what = "[vector_field] [" + request.vectorField() + "] of document [" + hit.getIndex() + "/" + hit.getId() + "]";
                    vectors.add(Vectors.normalise(Vectors.fromList(list, what)));
                    texts.add(text);
                }
            }
            if (texts.size() < BandMeasurement.MIN_PAIRS) {
                throw new OpenSearchStatusException(
                    "[_measure_band] needs at least " + BandMeasurement.MIN_PAIRS + " documents of [" + request.index() + "] with a vector in"
                        + " [vector_field] [" + request.vectorField() + "] and a text in [text_field] [" + request.textField() + "], found "
                        + texts.size() + " of " + response.getHits().getHits().length + " searched (both are read from _source)",
                    RestStatus.BAD_REQUEST
                );
            }
            listener.onResponse(new Sample(texts, vectors));
        }, listener::onFailure));
    }

    /** The document's text: the field's string, or its first one where it holds several (captions). */
    private static String text(Object value) {
        if (value instanceof List<?> list) {
            value = list.isEmpty() ? null : list.get(0);
        }
        // a text past the inference limit is left out, as an ingest would refuse it
        return value instanceof String s && s.isBlank() == false && s.length() <= InferenceService.MAX_TEXT_CHARS ? s : null;
    }

    /** A field written flat under its dotted name, or nested as the path says. */
    private static Object extract(Map<String, Object> source, String path) {
        Object value = source.get(path);
        return value != null ? value : QueryEncoder.extract(source, path);
    }

    /** @param language the model's language setting: the collection's texts are in the language its queries are */
    private static float[][] embed(ClipModel model, List<String> texts, String language, long deadline) throws Exception {
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += TEXT_BATCH) {
            if (System.nanoTime() > deadline) {
                throw new OpenSearchStatusException(
                    "[_measure_band] ran past its time limit of " + MAX_TIME + " after embedding " + from + " of " + texts.size()
                        + " texts: ask for a smaller [sample_size]",
                    RestStatus.REQUEST_TIMEOUT
                );
            }
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + TEXT_BATCH));
            System.arraycopy(model.embedTexts(batch, language), 0, out, from, batch.size());
        }
        return out;
    }

    private void store(MeasureBandRequest request, BandMeasurement.Result result, ActionListener<MeasureBandResponse> listener) {
        if (request.store() == false) {
            listener.onResponse(new MeasureBandResponse(request.model(), result, false));
            return;
        }
        Settings band = Settings.builder()
            .put(ModelSettings.key(request.model(), ModelSettings.COSINE_LOW_KEY), result.low())
            .put(ModelSettings.key(request.model(), ModelSettings.COSINE_HIGH_KEY), result.high())
            .build();
        client.admin()
            .cluster()
            .updateSettings(
                new ClusterUpdateSettingsRequest().persistentSettings(band),
                ActionListener.wrap(r -> listener.onResponse(new MeasureBandResponse(request.model(), result, true)), listener::onFailure)
            );
    }
}
