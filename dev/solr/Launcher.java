// Serves a real Apache Solr 9 over HTTP on 127.0.0.1 for development and tests.
//
// Run with Java's source launcher and the jars that pom.xml resolves:
//   java -cp 'LIB/*' Launcher.java SOLR_HOME PORT
// Prints "READY <core url>" once every core has loaded, exits non-zero when a
// core failed to load, and stops Jetty and the cores on SIGTERM.
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.solr.core.CoreContainer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Launcher SOLR_HOME PORT [CORE...]");
            System.exit(64);
        }
        String home = args[0];
        int port = Integer.parseInt(args[1]);

        JettyConfig config = JettyConfig.builder()
            .setContext("/solr")
            .setPort(port)
            .stopAtShutdown(false)
            .waitForLoadingCoresToFinish(120000L)
            .build();
        JettySolrRunner runner = new JettySolrRunner(home, new Properties(), config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.stop();
            } catch (Exception e) {
                System.err.println("error while stopping Solr: " + e);
            }
            stopped.countDown();
        }));

        try {
            runner.start();
        } catch (Exception e) {
            System.err.println("FAILED Solr did not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }

        CoreContainer cores = runner.getCoreContainer();
        if (cores == null) {
            System.err.println("FAILED the Solr core container is unavailable (see the log above)");
            System.exit(1);
        }
        Map<String, CoreContainer.CoreLoadFailure> failures = cores.getCoreInitFailures();
        if (!failures.isEmpty()) {
            for (Map.Entry<String, CoreContainer.CoreLoadFailure> failure : failures.entrySet()) {
                Throwable cause = failure.getValue().exception;
                while (cause.getCause() != null) {
                    cause = cause.getCause();
                }
                System.err.println("FAILED core " + failure.getKey() + " did not load: " + cause);
            }
            System.exit(2);
        }
        for (int i = 2; i < args.length; i++) {
            if (!cores.isLoaded(args[i])) {
                System.err.println("FAILED core " + args[i] + " is not loaded");
                System.exit(3);
            }
        }
        System.out.println("READY http://127.0.0.1:" + runner.getLocalPort() + "/solr");
        System.out.flush();
        stopped.await();
    }
}
