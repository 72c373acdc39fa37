package org.dockerlab.todo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP routes (a Spring {@code @RestController}).
 *
 * <pre>
 * GET    /api/todos          200 [todo, ...]
 * POST   /api/todos          201 todo          body {"title": "..."}
 * GET    /api/todos/{id}     200 todo | 404
 * PATCH  /api/todos/{id}     200 todo | 404    body {"done": true}
 * DELETE /api/todos/{id}     204 | 404
 * GET    /api/info           200 {"app","version","hostname","java"}
 * GET    /actuator/health    200 {"status":"UP"}
 * </pre>
 */
public class TodoController implements HttpHandler {

    private static final Log LOG = Log.get(TodoController.class);
    private static final Pattern TODO_PATH = Pattern.compile("/api/todos/([0-9]{1,18})/?");
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final TodoService service;
    private final Map<String, Object> info;

    public TodoController(TodoService service, Map<String, Object> info) {
        this.service = service;
        this.info = info;
    }

    /** A response: status and optional JSON body. */
    private record Response(int status, Object body, String allow) {
        static Response of(int status, Object body) {
            return new Response(status, body, null);
        }
    }

    /** Raised inside a route to answer with an error status and message. */
    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Response response;
        try {
            response = route(method, path, exchange);
        } catch (HttpError e) {
            response = Response.of(e.status, error(e.status, e.getMessage(), path));
        } catch (TodoService.InvalidTodoException e) {
            response = Response.of(400, error(400, e.getMessage(), path));
        } catch (RuntimeException e) {
            LOG.error("Request " + method + " " + path + " failed: " + e);
            response = Response.of(500, error(500, String.valueOf(e.getMessage()), path));
        }
        try {
            send(exchange, response);
        } finally {
            exchange.close();
            long millis = (System.nanoTime() - start) / 1_000_000;
            InetSocketAddress remote = exchange.getRemoteAddress();
            String from = remote == null || remote.getAddress() == null
                    ? "?" : remote.getAddress().getHostAddress();
            LOG.info(method + " " + path + " " + response.status() + " " + millis + "ms from " + from);
        }
    }

    private Response route(String method, String path, HttpExchange exchange) throws IOException {
        if (path.equals("/api/todos") || path.equals("/api/todos/")) {
            return switch (method) {
                case "GET" -> Response.of(200, service.findAll());
                case "POST" -> create(exchange);
                default -> notAllowed("GET, POST");
            };
        }
        Matcher matcher = TODO_PATH.matcher(path);
        if (matcher.matches()) {
            long id = Long.parseLong(matcher.group(1));
            return switch (method) {
                case "GET" -> service.findById(id)
                        .map(todo -> Response.of(200, todo))
                        .orElseThrow(() -> noSuchTodo(id));
                case "PATCH", "PUT" -> update(id, exchange);
                case "DELETE" -> {
                    if (!service.delete(id)) {
                        throw noSuchTodo(id);
                    }
                    yield Response.of(204, null);
                }
                default -> notAllowed("GET, PATCH, PUT, DELETE");
            };
        }
        if (path.equals("/actuator/health")) {
            return method.equals("GET") ? Response.of(200, Map.of("status", "UP")) : notAllowed("GET");
        }
        if (path.equals("/api/info")) {
            return method.equals("GET") ? Response.of(200, info) : notAllowed("GET");
        }
        throw new HttpError(404, "no route for " + path);
    }

    private Response create(HttpExchange exchange) throws IOException {
        Map<?, ?> body = readObject(exchange);
        Object title = body.get("title");
        if (title != null && !(title instanceof String)) {
            throw new HttpError(400, "title must be a string");
        }
        Todo todo = service.create((String) title);
        exchange.getResponseHeaders().set("Location", "/api/todos/" + todo.id());
        return Response.of(201, todo);
    }

    private Response update(long id, HttpExchange exchange) throws IOException {
        Map<?, ?> body = readObject(exchange);
        if (!(body.get("done") instanceof Boolean done)) {
            throw new HttpError(400, "done must be true or false");
        }
        Optional<Todo> updated = service.setDone(id, done);
        return Response.of(200, updated.orElseThrow(() -> noSuchTodo(id)));
    }

    private static HttpError noSuchTodo(long id) {
        return new HttpError(404, "no todo with id " + id);
    }

    private static Response notAllowed(String allow) {
        return new Response(405, error(405, "method not allowed; use " + allow, null), allow);
    }

    private static Map<String, Object> error(int status, String message, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", reason(status));
        body.put("message", message);
        if (path != null) {
            body.put("path", path);
        }
        return body;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Payload Too Large";
            default -> "Internal Server Error";
        };
    }

    private static Map<?, ?> readObject(HttpExchange exchange) throws IOException {
        byte[] bytes = readBody(exchange.getRequestBody());
        Object parsed;
        try {
            parsed = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (Json.ParseException e) {
            throw new HttpError(400, "body is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new HttpError(400, "body must be a JSON object");
        }
        return map;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_BODY_BYTES) {
                throw new HttpError(413, "body larger than " + MAX_BODY_BYTES + " bytes");
            }
        }
        return out.toByteArray();
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        if (response.allow() != null) {
            exchange.getResponseHeaders().set("Allow", response.allow());
        }
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = Json.write(response.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
