package org.opensearch.cliphybrid.ui;

import org.opensearch.action.ActionType;
import org.opensearch.cliphybrid.rest.ClipActionNames;

/**
 * Reads one image file under {@code plugins.clip.images.path} for the search page. A transport action rather than a read in the REST
 * handler, so that a security plugin authorizes it by this name however the path was spelled: the REST layer's check matches
 * the decoded path segment by segment, and a sub-folder written as {@code %2F} adds segments that no route has.
 */
public final class ImageFileAction extends ActionType<ImageFileResponse> {
    public static final String NAME = ClipActionNames.UI_IMAGE;
    public static final ImageFileAction INSTANCE = new ImageFileAction();

    private ImageFileAction() {
        super(NAME, ImageFileResponse::new);
    }
}
