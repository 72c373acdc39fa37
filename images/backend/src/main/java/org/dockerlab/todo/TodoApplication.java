package org.dockerlab.todo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the todo service (a Spring Boot {@code @SpringBootApplication} without Spring).
 *
 * <p>Settings come from environment variables, as a container expects:
 * {@code SERVER_PORT} (default 8080), {@code DATA_DIR} (default /data) and {@code APP_VERSION}
 * (default 1.0.0). When it is ready it logs "Started TodoApplication on port PORT".
 */
public final class TodoApplication {

    public static final String APP_NAME = "todo-backend";
    private static final Log LOG = Log.get(TodoApplication.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final TodoService service;

    private TodoApplication(HttpServer server, ExecutorService workers, TodoService service) {
        this.server = server;
        this.workers = workers;
        this.service = service;
    }

    public static void main(String[] args) {
        long startNanos = System.nanoTime();
        int port = intEnv("SERVER_PORT", 8080);
        Path dataDir = Path.of(env("DATA_DIR", "/data"));
        String version = env("APP_VERSION", "1.0.0");
        LOG.info("Starting TodoApplication " + version + " using Java " + System.getProperty("java.version")
                + " with PID " + ProcessHandle.current().pid());
        TodoApplication app;
        try {
            app = start(port, dataDir, version);
        } catch (IOException | RuntimeException e) {
            LOG.error("Application run failed: " + e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Received shutdown signal, stopping TodoApplication");
            app.stop();
            LOG.info("Stopped TodoApplication");
        }, "shutdown"));
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double jvmSeconds = ProcessHandle.current().info().startInstant()
                .map(started -> Duration.between(started, Instant.now()).toMillis() / 1e3)
                .orElse(seconds);
        LOG.info(String.format("Started TodoApplication on port %d in %.3f seconds (process running for %.3f)",
                app.port(), seconds, jvmSeconds));
    }

    /** Loads the todos from {@code dataDir} and starts serving on {@code port} (0 = any free port). */
    public static TodoApplication start(int port, Path dataDir, String version) throws IOException {
        // Send small responses at once instead of waiting ~40 ms for a delayed TCP ACK (Nagle).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        TodoRepository repository = new TodoRepository(dataDir);
        TodoService service = new TodoService(repository);
        LOG.info("Loaded " + service.count() + " todo(s) from " + repository.file());
        if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
            LOG.warn("Data directory " + dataDir + " is not writable: adding todos will fail. "
                    + "Hint: mount a volume there, owned by uid 10001.");
        }

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("app", APP_NAME);
        info.put("version", version);
        info.put("hostname", hostname());
        info.put("java", System.getProperty("java.version"));

        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
        server.createContext("/", new TodoController(service, info));
        server.setExecutor(workers);
        server.start();
        return new TodoApplication(server, workers, service);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public TodoService service() {
        return service;
    }

    /** Stops at once: open connections are closed, the data file is already saved. */
    public void stop() {
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        try {
            String fromFile = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
            if (!fromFile.isEmpty()) {
                return fromFile;
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static int intEnv(String name, int fallback) {
        String value = env(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            LOG.warn(name + "=" + value + " is not a number; using " + fallback);
            return fallback;
        }
    }
}
