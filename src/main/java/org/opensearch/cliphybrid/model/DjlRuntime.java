package org.opensearch.cliphybrid.model;

import org.opensearch.secure_sm.AccessController;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Every call into DJL goes through here. DJL finds its native libraries and engines through the thread context class loader,
 * which inside OpenSearch is not the plugin's; and unless told it is offline it phones home (telemetry, model zoo) on first use.
 */
public final class DjlRuntime {
    private DjlRuntime() {}

    private static volatile boolean configured;

    /** Runs {@code body} with the plugin's class loader as the context class loader, with DJL configured to stay offline. */
    public static <T> T call(Callable<T> body) throws Exception {
        configure();
        return AccessController.doPrivilegedChecked(() -> {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(DjlRuntime.class.getClassLoader());
            try {
                return body.call();
            } finally {
                thread.setContextClassLoader(previous);
            }
        });
    }

    private static void configure() {
        if (configured) {
            return;
        }
        synchronized (DjlRuntime.class) {
            if (configured == false) {
                System.setProperty("ai.djl.offline", "true");
                System.setProperty("OPT_OUT_TRACKING", "true");
                // the node user's home is often /nonexistent, and only tmpdir, data and logs are writable under the agent
                if (System.getProperty("DJL_CACHE_DIR") == null) {
                    System.setProperty("DJL_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "djl-cache").toString());
                }
                configured = true;
            }
        }
    }
}
