package org.opensearch.cliphybrid.render;

import java.time.Duration;

/** The bounds of one page's rendering. */
record RenderLimits(Duration pageTimeout, long quietMillis, int maxScrollSteps, int maxDomChars) {}
