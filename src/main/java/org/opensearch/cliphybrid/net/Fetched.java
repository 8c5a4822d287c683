package org.opensearch.cliphybrid.net;

import java.net.URI;

/** What an http(s) fetch returned: the body, the URL it finally came from (after redirects) and its declared type. */
public record Fetched(byte[] bytes, URI finalUri, String contentType) {}
