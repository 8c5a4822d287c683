package org.opensearch.cliphybrid.calibrate;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cliphybrid.query.QueryEncoder;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

/** Reads a profile as {@code clip_hybrid} would (through the node's short cache); an unknown name is a 404. */
public final class TransportGetProfileAction extends HandledTransportAction<ProfileRequest, ProfileResponse> {
    private final Client client;
    private final QueryEncoder encoder;

    @Inject
    public TransportGetProfileAction(TransportService transportService, ActionFilters actionFilters, Client client, QueryEncoder encoder) {
        super(GetProfileAction.NAME, transportService, actionFilters, ProfileRequest::new);
        this.client = client;
        this.encoder = encoder;
    }

    @Override
    protected void doExecute(Task task, ProfileRequest request, ActionListener<ProfileResponse> listener) {
        encoder.profiles().get(client, request.name(), ActionListener.map(listener, ProfileResponse::new));
    }
}
