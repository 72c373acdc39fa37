package org.dockerlab.todo.tests;

import org.dockerlab.todo.*;

import static org.dockerlab.todo.tests.MiniTest.assertEquals;
import static org.dockerlab.todo.tests.MiniTest.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The HTTP API end to end on a free port (like a Spring Boot test with a random port). */
public final class TodoControllerTest {

    public static void main(String[] args) {
        MiniTest.runAndExit(TodoControllerTest.class);
    }

    /** Status, headers and body of one HTTP exchange. */
    private record Reply(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? "" : values.get(0);
        }
    }

    private static Reply call(int port, String method, String path, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        connection.setRequestMethod(method);
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (in != null) {
            try (in) {
                in.transferTo(bytes);
            }
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null) {
                headers.put(name, values);
            }
        });
        return new Reply(status, headers, bytes.toString(StandardCharsets.UTF_8));
    }

    static void testCrudOverHttp() throws Exception {
        try (TestFiles files = new TestFiles()) {
            TodoApplication app = TodoApplication.start(0, files.dir, "test");
            try {
                int port = app.port();
                assertEquals("[]", call(port, "GET", "/api/todos", null).body());

                Reply created = call(port, "POST", "/api/todos", "{\"title\": \"Learn Docker\"}");
                assertEquals(201, created.status());
                assertEquals("{\"id\":1,\"title\":\"Learn Docker\",\"done\":false}", created.body());
                assertEquals("/api/todos/1", created.header("Location"));
                assertTrue(created.header("Content-Type").startsWith("application/json"),
                        "JSON content type");

                assertEquals("[{\"id\":1,\"title\":\"Learn Docker\",\"done\":false}]",
                        call(port, "GET", "/api/todos", null).body());
                assertEquals("{\"id\":1,\"title\":\"Learn Docker\",\"done\":true}",
                        call(port, "PUT", "/api/todos/1", "{\"done\": true}").body());

                assertEquals(204, call(port, "DELETE", "/api/todos/1", null).status());
                assertEquals(404, call(port, "DELETE", "/api/todos/1", null).status());
                assertEquals("[]", call(port, "GET", "/api/todos", null).body());
            } finally {
                app.stop();
            }
        }
    }

    static void testBadRequests() throws Exception {
        try (TestFiles files = new TestFiles()) {
            TodoApplication app = TodoApplication.start(0, files.dir, "test");
            try {
                int port = app.port();
                assertEquals(400, call(port, "POST", "/api/todos", "{\"title\": \"\"}").status());
                assertEquals(400, call(port, "POST", "/api/todos", "not json").status());
                assertEquals(400, call(port, "POST", "/api/todos", "[1]").status());
                Reply wrongMethod = call(port, "DELETE", "/api/todos", null);
                assertEquals(405, wrongMethod.status());
                assertEquals("GET, POST", wrongMethod.header("Allow"));
                assertEquals(404, call(port, "GET", "/nowhere", null).status());
                assertEquals(404, call(port, "GET", "/api/todos/7", null).status());
            } finally {
                app.stop();
            }
        }
    }

    static void testHealthAndInfo() throws Exception {
        try (TestFiles files = new TestFiles()) {
            TodoApplication app = TodoApplication.start(0, files.dir, "9.9.9");
            try {
                int port = app.port();
                assertEquals("{\"status\":\"UP\"}", call(port, "GET", "/actuator/health", null).body());
                Map<?, ?> info = (Map<?, ?>) Json.parse(call(port, "GET", "/api/info", null).body());
                assertEquals(List.of("app", "version", "hostname", "java"), List.copyOf(info.keySet()));
                assertEquals("todo-backend", info.get("app"));
                assertEquals("9.9.9", info.get("version"));
                assertEquals(System.getProperty("java.version"), info.get("java"));
            } finally {
                app.stop();
            }
        }
    }
}
