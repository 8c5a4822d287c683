package org.opensearch.cliphybrid.render;

import org.opensearch.cliphybrid.harvest.HarvestResponse;
import org.opensearch.core.xcontent.ToXContent;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code java -jar target/clip-harvest-render.jar --url ... --index ...}: harvests pages that need JavaScript by rendering them in
 * headless Chromium, and prints the REST harvester's summary as JSON on stdout; the progress goes to stderr. Runs outside any
 * OpenSearch node: the node never loads this package.
 */
public final class RenderHarvestCli {
    private RenderHarvestCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The exit status: 0 after a harvest (whatever failed in it is in the summary), 1 when it could not start, 2 on bad options. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        RenderOptions options;
        try {
            options = RenderOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().isEmpty() == false) {
                err.println("error: " + e.getMessage());
            }
            err.print(RenderOptions.USAGE);
            return 2;
        }
        RenderHarvester[] harvester = new RenderHarvester[1];
        try (
            Chromium chromium = Chromium.launch(options.chromium(), Duration.ofSeconds(30));
            CdpSession cdp = CdpSession.connect(chromium.webSocketUrl(), Duration.ofSeconds(10), options.maxDomChars() * 2 + 1_000_000)
        ) {
            PageRenderer renderer = PageRenderer.open(cdp, uri -> harvester[0] != null && harvester[0].browserMayLoad(uri), options.limits());
            harvester[0] = new RenderHarvester(
                options,
                renderer,
                new ClusterBulk(options.cluster(), options.index(), options.pipeline()),
                new ProgressBar(err, System.console() != null)
            );
            HarvestResponse response = harvester[0].run();
            err.println("requests the browser was refused (other hosts, robots.txt): " + renderer.blockedRequests());
            out.println(Json.write(b -> response.toXContent(b, ToXContent.EMPTY_PARAMS), true));
            return 0;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
