package org.opensearch.cliphybrid.render;

import java.net.URI;

/** What the browser ended with: the URL after redirects and scripts, the serialized DOM, and whether the network settled in time. */
record RenderedPage(URI finalUrl, String html, boolean settled, int scrollSteps) {}
