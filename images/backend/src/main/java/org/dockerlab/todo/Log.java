package org.dockerlab.todo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Spring-Boot-shaped log lines on stdout, one per event, flushed at once (so `docker logs` sees them). */
public final class Log {

    private static final long PID = ProcessHandle.current().pid();

    private final String logger;

    private Log(String logger) {
        this.logger = logger;
    }

    public static Log get(Class<?> type) {
        // org.dockerlab.todo.TodoController -> o.d.t.TodoController, as Spring Boot abbreviates.
        String[] parts = type.getName().split("\\.");
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            name.append(parts[i].charAt(0)).append('.');
        }
        name.append(parts[parts.length - 1]);
        return new Log(name.toString());
    }

    public void info(String message) {
        print(" INFO", message);
    }

    public void warn(String message) {
        print(" WARN", message);
    }

    public void error(String message) {
        print("ERROR", message);
    }

    private void print(String level, String message) {
        String thread = Thread.currentThread().getName();
        if (thread.length() > 15) {
            thread = thread.substring(thread.length() - 15);
        }
        String line = String.format("%s %s %d --- [%15s] %-24s : %s",
                Instant.now().truncatedTo(ChronoUnit.MILLIS), level, PID, thread, logger, message);
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
