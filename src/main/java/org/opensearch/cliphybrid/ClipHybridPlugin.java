package org.opensearch.cliphybrid;

import org.opensearch.common.settings.Setting;
import org.opensearch.plugins.Plugin;

import java.util.List;

public class ClipHybridPlugin extends Plugin {
    @Override
    public List<Setting<?>> getSettings() {
        return ClipSettings.all();
    }
}
