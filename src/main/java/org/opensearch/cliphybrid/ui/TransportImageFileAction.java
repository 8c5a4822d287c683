package org.opensearch.cliphybrid.ui;

import org.opensearch.action.ActionRunnable;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cliphybrid.ErrorReason;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/**
 * Reads the file through {@link ImageFiles}; only bytes that are an image are served. Every refusal is the same 404 to a
 * browser.
 */
public final class TransportImageFileAction extends HandledTransportAction<ImageFileRequest, ImageFileResponse> {
    private final ImageFiles files;
    private final ThreadPool threadPool;

    @Inject
    public TransportImageFileAction(
        TransportService transportService,
        ActionFilters actionFilters,
        ThreadPool threadPool,
        ImageFiles files
    ) {
        super(ImageFileAction.NAME, transportService, actionFilters, ImageFileRequest::new);
        this.files = files;
        this.threadPool = threadPool;
    }

    @Override
    protected void doExecute(Task task, ImageFileRequest request, ActionListener<ImageFileResponse> listener) {
        // a file read is blocking I/O; the REST handler calls this on the network thread
        threadPool.executor(ThreadPool.Names.GENERIC).execute(ActionRunnable.supply(listener, () -> read(files, request.path())));
    }

    static ImageFileResponse read(ImageFiles files, String path) {
        if (path == null || path.isBlank()) {
            return ImageFileResponse.notFound("no image path given");
        }
        byte[] bytes;
        try {
            bytes = files.read(path);
        } catch (Exception e) {
            // outside the folder, missing, too large, no images folder at all: the reason goes into the 404's body
            return ImageFileResponse.notFound(ErrorReason.of(e));
        }
        String type = ImageKind.of(bytes);
        if (type == null) {
            return ImageFileResponse.notFound("[" + path + "] is not a JPEG, PNG, GIF, WebP or BMP image");
        }
        return ImageFileResponse.image(type, bytes);
    }
}
