package org.opensearch.cliphybrid.calibrate;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.action.support.clustermanager.AcknowledgedResponse;
import org.opensearch.cliphybrid.query.QueryEncoder;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

/** Deletes a profile; queries that name it fail with 404 from then on (on other nodes once their cache entry expires). */
public final class TransportDeleteProfileAction extends HandledTransportAction<ProfileRequest, AcknowledgedResponse> {
    private final Client client;
    private final QueryEncoder encoder;

    @Inject
    public TransportDeleteProfileAction(TransportService transportService, ActionFilters actionFilters, Client client, QueryEncoder encoder) {
        super(DeleteProfileAction.NAME, transportService, actionFilters, ProfileRequest::new);
        this.client = client;
        this.encoder = encoder;
    }

    @Override
    protected void doExecute(Task task, ProfileRequest request, ActionListener<AcknowledgedResponse> listener) {
        encoder.profiles().delete(client, request.name(), ActionListener.map(listener, v -> new AcknowledgedResponse(true)));
    }
}
