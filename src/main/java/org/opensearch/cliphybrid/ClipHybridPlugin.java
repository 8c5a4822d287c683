package org.opensearch.cliphybrid;

import org.opensearch.action.ActionRequest;
import org.opensearch.cliphybrid.calibrate.CalibrateAction;
import org.opensearch.cliphybrid.calibrate.DeleteProfileAction;
import org.opensearch.cliphybrid.calibrate.GetProfileAction;
import org.opensearch.cliphybrid.query.profile.ProfileStore;
import org.opensearch.cliphybrid.calibrate.TransportCalibrateAction;
import org.opensearch.cliphybrid.calibrate.TransportDeleteProfileAction;
import org.opensearch.cliphybrid.calibrate.TransportGetProfileAction;
import org.opensearch.cliphybrid.harvest.HarvestAction;
import org.opensearch.cliphybrid.harvest.HarvestStatus;
import org.opensearch.cliphybrid.harvest.Harvester;
import org.opensearch.cliphybrid.harvest.TransportHarvestAction;
import org.opensearch.cliphybrid.image.ImageLoader;
import org.opensearch.cliphybrid.inference.ImageBatchEmbedder;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.ingest.ClipEmbeddingProcessor;
import org.opensearch.cliphybrid.ingest.ClipZeroShotProcessor;
import org.opensearch.cliphybrid.labels.ZeroShotLabeler;
import org.opensearch.cliphybrid.model.DjlRuntime;
import org.opensearch.cliphybrid.model.InferenceDevice;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cliphybrid.model.OrtThreads;
import org.opensearch.cliphybrid.model.settings.MeasureBandAction;
import org.opensearch.cliphybrid.model.settings.ModelSettingsService;
import org.opensearch.cliphybrid.model.settings.TransportMeasureBandAction;
import org.opensearch.cliphybrid.model.registered.ModelCache;
import org.opensearch.cliphybrid.model.nodes.DeployModelAction;
import org.opensearch.cliphybrid.model.nodes.ModelNodesAction;
import org.opensearch.cliphybrid.model.nodes.TransportDeployModelAction;
import org.opensearch.cliphybrid.model.nodes.TransportModelNodesAction;
import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.cliphybrid.pipeline.BytesInFlight;
import org.opensearch.cliphybrid.pipeline.ImagePipeline;
import org.opensearch.cliphybrid.query.ClipHybridQueryBuilder;
import org.opensearch.cliphybrid.query.ClipKnnQueryBuilder;
import org.opensearch.cliphybrid.query.ConcurrentClipSearch;
import org.opensearch.cliphybrid.query.QueryEncoder;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.rest.RestCalibrateAction;
import org.opensearch.cliphybrid.rest.RestClipStatsAction;
import org.opensearch.cliphybrid.rest.RestDeleteProfileAction;
import org.opensearch.cliphybrid.rest.RestDeleteModelAction;
import org.opensearch.cliphybrid.rest.RestModelChunkAction;
import org.opensearch.cliphybrid.rest.RestRegisterModelAction;
import org.opensearch.cliphybrid.model.registered.ModelChunks;
import org.opensearch.cliphybrid.model.registered.ModelStoreActions;
import org.opensearch.cliphybrid.model.registered.TransportDeleteModelAction;
import org.opensearch.cliphybrid.model.registered.TransportModelChunkAction;
import org.opensearch.cliphybrid.model.registered.TransportRegisterModelAction;
import org.opensearch.cliphybrid.rest.RestEmbedAction;
import org.opensearch.cliphybrid.rest.RestHarvestAction;
import org.opensearch.cliphybrid.rest.RestMeasureBandAction;
import org.opensearch.cliphybrid.rest.RestModelSettingsAction;
import org.opensearch.cliphybrid.rest.RestModelsAction;
import org.opensearch.cliphybrid.query.names.TransportWordStatsAction;
import org.opensearch.cliphybrid.query.names.WordStatsAction;
import org.opensearch.cliphybrid.rest.RestProfileAction;
import org.opensearch.cliphybrid.rest.RestDeployModelAction;
import org.opensearch.cliphybrid.stats.ClipStats;
import org.opensearch.cliphybrid.stats.ClipStatsAction;
import org.opensearch.cliphybrid.stats.NodeStatsReporter;
import org.opensearch.cliphybrid.stats.TransportClipStatsAction;
import org.opensearch.cliphybrid.ui.ImageFileAction;
import org.opensearch.cliphybrid.ui.ImageFiles;
import org.opensearch.cliphybrid.ui.RestImageFileAction;
import org.opensearch.cliphybrid.ui.RestSearchPageAction;
import org.opensearch.cliphybrid.ui.TransportImageFileAction;
import org.opensearch.cliphybrid.ui.UiAssets;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.cliphybrid.provenance.FieldModels;
import org.opensearch.cliphybrid.provenance.VectorModelStamper;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.SetOnce;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.common.util.concurrent.OpenSearchExecutors;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.indices.SystemIndexDescriptor;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.plugins.SystemIndexPlugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptService;
import org.opensearch.search.deciders.ConcurrentSearchRequestDecider;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wiring only: settings, the inference and harvest thread pools, the {@code clip_embedding} and {@code clip_zero_shot}
 * processors, the {@code clip_hybrid} query, the harvest action, the {@code _plugins/clip} REST endpoints and the search page.
 */
public class ClipHybridPlugin extends Plugin implements ActionPlugin, IngestPlugin, SearchPlugin, SystemIndexPlugin {
    // getQueries() and getProcessors() are asked for before createComponents() builds the services they use
    private final SetOnce<InferenceService> inference = new SetOnce<>();
    private final SetOnce<ModelRegistry> models = new SetOnce<>();
    private final SetOnce<ImagePipeline> images = new SetOnce<>();
    private final SetOnce<Supplier<Calibration>> calibration = new SetOnce<>();
    private final SetOnce<ZeroShotLabeler> labeler = new SetOnce<>();
    private final SetOnce<ImageBatchEmbedder> embedder = new SetOnce<>();
    private final SetOnce<FieldModels> stamper = new SetOnce<>();
    private final SetOnce<ModelSettingsService> modelSettings = new SetOnce<>();
    private final SetOnce<ModelCache> modelCache = new SetOnce<>();
    private final QueryEncoder queryEncoder = new QueryEncoder(inference::get, images::get, embedder::get, () -> calibration.get().get());
    private final Settings settings;

    public ClipHybridPlugin(Settings settings) {
        this.settings = settings;
    }

    @Override
    public List<Setting<?>> getSettings() {
        return ClipSettings.all();
    }

    @Override
    public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
        int processors = OpenSearchExecutors.allocatedProcessors(settings);
        int inferenceThreads = Math.max(1, Math.min(2, processors / 2));
        // fetching waits on the network and decoding on the CPU: more threads than cores keeps both busy
        int fetchThreads = Math.max(4, 2 * processors);
        return List.of(
            ClipSettings.threadPool(settings, InferenceService.THREAD_POOL, LegacyClipSettings.INFERENCE_POOL, inferenceThreads, 1000),
            // the encodings a search waits for: never behind an ingest batch, and several at once (bench/latency, 4 clients)
            ClipSettings.threadPool(settings, InferenceService.QUERY_THREAD_POOL, LegacyClipSettings.QUERY_POOL, processors, 1000),
            ClipSettings.threadPool(settings, ImageBatchEmbedder.FETCH_POOL, LegacyClipSettings.FETCH_POOL, fetchThreads, 1000),
            // harvests mostly wait on the network and on their own per-host pauses; two at a time, the rest queue
            ClipSettings.threadPool(settings, TransportHarvestAction.THREAD_POOL, LegacyClipSettings.HARVEST_POOL, 2, 16)
        );
    }

    @Override
    public Collection<Object> createComponents(
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        ResourceWatcherService resourceWatcherService,
        ScriptService scriptService,
        NamedXContentRegistry xContentRegistry,
        Environment environment,
        NodeEnvironment nodeEnvironment,
        NamedWriteableRegistry namedWriteableRegistry,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<RepositoriesService> repositoriesServiceSupplier
    ) {
        InferenceDevice device = InferenceDevice.of(ClipSettings.INFERENCE_DEVICE.get(settings));
        if (device != InferenceDevice.CPU) {
            // a static setting that cannot work: refuse to start, with the fix, rather than fail every document later
            try {
                DjlRuntime.call(() -> {
                    device.checkAvailable();
                    return null;
                });
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        ModelRegistry registry = new ModelRegistry(
            environment.configDir().resolve(ModelRegistry.MODELS_FOLDER),
            ClipSettings.QUANTIZED.get(settings),
            new OrtThreads(ClipSettings.ORT_INTRA_OP_THREADS.get(settings), ClipSettings.ORT_ALLOW_SPINNING.get(settings)),
            device,
            ClipSettings.MODEL_LOAD_RETRY_INTERVAL.get(settings)
        );
        models.set(registry);
        // registered models: fetched from the system index into the node's data path on first use (model/registered)
        ModelCache cache = new ModelCache(client, nodeEnvironment.nodeDataPaths()[0].resolve(ModelCache.FOLDER), threadPool);
        registry.registeredModels(cache, ClipSettings.MODEL_REGISTERED_RECHECK.get(settings));
        modelCache.set(cache);
        ClipStats stats = new ClipStats();
        InferenceService service = new InferenceService(registry, threadPool, stats, ClipSettings.DEFAULT_MODEL.get(settings));
        clusterService.getClusterSettings().addSettingsUpdateConsumer(ClipSettings.DEFAULT_MODEL, service::setDefaultModel);
        inference.set(service);
        ClusterSettings current = clusterService.getClusterSettings();
        ModelSettingsService perModel = new ModelSettingsService(settings, current);
        modelSettings.set(perModel);
        queryEncoder.modelSettingsFrom(perModel);
        labeler.set(new ZeroShotLabeler(service, perModel));
        calibration.set(
            () -> new Calibration(
                current.get(ClipSettings.HYBRID_COSINE_LOW),
                current.get(ClipSettings.HYBRID_COSINE_HIGH),
                current.get(ClipSettings.HYBRID_TEXT_FLOOR)
            )
        );
        String imagesPath = ClipSettings.IMAGES_PATH.get(settings);
        Path imagesRoot = imagesPath.isEmpty() ? null : environment.configDir().resolve(imagesPath).toAbsolutePath();
        BytesInFlight budget = new BytesInFlight(ClipSettings.INGEST_MAX_BYTES_IN_FLIGHT.get(settings).getBytes());
        current.addSettingsUpdateConsumer(ClipSettings.INGEST_MAX_BYTES_IN_FLIGHT, limit -> budget.setLimit(limit.getBytes()));
        GuardedHttpClient http = new GuardedHttpClient();
        Supplier<FetchLimits> fetchLimits = () -> ClipSettings.fetchLimits(current);
        ImageLoader loader = new ImageLoader(http);
        Supplier<ImageLoader.Limits> limits = () -> new ImageLoader.Limits(imagesRoot, fetchLimits.get());
        ImagePipeline pipeline = new ImagePipeline(loader, limits, () -> current.get(ClipSettings.IMAGE_MAX_PIXELS), budget, stats);
        images.set(pipeline);
        embedder.set(new ImageBatchEmbedder(service, pipeline, threadPool, stats));
        stamper.set(new VectorModelStamper(clusterService, client, threadPool, service));
        queryEncoder.checkModelsWith(clusterService, indexNameExpressionResolver);
        Harvester harvester = new Harvester(
            http,
            fetchLimits,
            () -> new Harvester.Defaults(current.get(ClipSettings.HARVEST_HOST_DELAY).millis(), current.get(ClipSettings.HARVEST_MAX_PAGES)),
            client
        );
        NodeStatsReporter.Pools pools = new NodeStatsReporter.Pools(
            InferenceService.THREAD_POOL,
            InferenceService.QUERY_THREAD_POOL,
            ImageBatchEmbedder.FETCH_POOL
        );
        // ImageFiles: for TransportImageFileAction, queryEncoder: for the calibrate and profile actions, which Guice builds
        return List.of(registry, service, perModel, harvester, new ImageFiles(loader, limits), new NodeStatsReporter(stats, threadPool, registry, pools), queryEncoder);
    }

    @Override
    public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
        return Map.of(
            ClipEmbeddingProcessor.TYPE,
            new ClipEmbeddingProcessor.Factory(embedder::get, images::get, labeler::get, stamper::get),
            ClipZeroShotProcessor.TYPE,
            new ClipZeroShotProcessor.Factory(labeler::get)
        );
    }

    @Override
    public List<RestHandler> getRestHandlers(
        Settings settings,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster
    ) {
        return List.of(
            new RestEmbedAction(inference::get, images::get, embedder::get, modelSettings::get),
            new RestModelsAction(models::get, inference::get, modelCache::get),
            new RestDeployModelAction(),
            new RestHarvestAction(),
            new RestSearchPageAction(UiAssets.load()),
            new RestImageFileAction(),
            new RestClipStatsAction(),
            new RestCalibrateAction(),
            new RestProfileAction(),
            new RestDeleteProfileAction(),
            new RestMeasureBandAction(),
            new RestModelSettingsAction(
                inference::get,
                modelSettings::get,
                () -> calibration.get().get(),
                () -> ClipSettings.QUANTIZED.get(this.settings)
            ),
            new RestModelChunkAction(),
            new RestRegisterModelAction(),
            new RestDeleteModelAction()
        );
    }

    @Override
    public List<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
        return List.of(
            new ActionHandler<>(HarvestAction.INSTANCE, TransportHarvestAction.class),
            new ActionHandler<>(ClipStatsAction.INSTANCE, TransportClipStatsAction.class),
            new ActionHandler<>(ImageFileAction.INSTANCE, TransportImageFileAction.class),
            new ActionHandler<>(CalibrateAction.INSTANCE, TransportCalibrateAction.class),
            new ActionHandler<>(GetProfileAction.INSTANCE, TransportGetProfileAction.class),
            new ActionHandler<>(DeleteProfileAction.INSTANCE, TransportDeleteProfileAction.class),
            new ActionHandler<>(MeasureBandAction.INSTANCE, TransportMeasureBandAction.class),
            new ActionHandler<>(ModelStoreActions.CHUNK, TransportModelChunkAction.class),
            new ActionHandler<>(ModelStoreActions.REGISTER, TransportRegisterModelAction.class),
            new ActionHandler<>(ModelStoreActions.DELETE, TransportDeleteModelAction.class),
            new ActionHandler<>(ModelNodesAction.INSTANCE, TransportModelNodesAction.class),
            new ActionHandler<>(DeployModelAction.INSTANCE, TransportDeployModelAction.class),
            // no route: clip_hybrid's rewrite calls it, as the searching user
            new ActionHandler<>(WordStatsAction.INSTANCE, TransportWordStatsAction.class)
        );
    }

    @Override
    public List<NamedWriteableRegistry.Entry> getNamedWriteables() {
        return List.of(new NamedWriteableRegistry.Entry(Task.Status.class, HarvestStatus.NAME, HarvestStatus::new));
    }

    @Override
    public Collection<SystemIndexDescriptor> getSystemIndexDescriptors(Settings settings) {
        return List.of(
            new SystemIndexDescriptor(ProfileStore.INDEX, "clip_hybrid fusion profiles stored by _plugins/clip/_calibrate"),
            new SystemIndexDescriptor(ModelChunks.INDEX, "CLIP models registered through _plugins/clip/models: zip chunks and file lists")
        );
    }

    @Override
    public List<QuerySpec<?>> getQueries() {
        return List.of(
            new QuerySpec<>(
                ClipHybridQueryBuilder.NAME,
                in -> new ClipHybridQueryBuilder(in, queryEncoder),
                parser -> ClipHybridQueryBuilder.fromXContent(parser, queryEncoder)
            ),
            new QuerySpec<>(ClipKnnQueryBuilder.NAME, ClipKnnQueryBuilder::new, ClipKnnQueryBuilder::fromXContent)
        );
    }

    @Override
    public Optional<ConcurrentSearchRequestDecider.Factory> getConcurrentSearchRequestDeciderFactory() {
        return Optional.of(ConcurrentClipSearch.FACTORY);
    }

    @Override
    public void close() {
        ModelRegistry registry = models.get();
        if (registry != null) {
            registry.close();
        }
    }
}
