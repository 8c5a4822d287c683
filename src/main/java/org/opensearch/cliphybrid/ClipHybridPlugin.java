package org.opensearch.cliphybrid;

import org.opensearch.plugins.Plugin;

public class ClipHybridPlugin extends Plugin {}
