import { useCallback, useEffect, useState } from 'react';
import { addTodo, backendInfo, deleteTodo, listTodos, setDone } from './api.js';

/* global __APP_VERSION__ */

function TodoForm({ onAdd, busy }) {
  const [title, setTitle] = useState('');

  async function submit(event) {
    event.preventDefault();
    const text = title.trim();
    if (!text) return;
    if (await onAdd(text)) setTitle('');
  }

  return (
    <form id="todo-form" data-testid="todo-form" className="todo-form" onSubmit={submit}>
      <input
        id="todo-title"
        data-testid="todo-input"
        name="title"
        aria-label="New todo"
        placeholder="What needs doing? e.g. Write a Dockerfile"
        maxLength={200}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        autoComplete="off"
      />
      <button id="add-todo" data-testid="add-todo" type="submit" disabled={busy || !title.trim()}>
        Add
      </button>
    </form>
  );
}

function TodoList({ todos, onToggle, onDelete }) {
  if (todos.length === 0) {
    return (
      <p id="empty-list" data-testid="empty-list" className="empty">
        Nothing to do yet. Add a todo above.
      </p>
    );
  }
  return (
    <ul id="todo-list" data-testid="todo-list" className="todo-list">
      {todos.map((todo) => (
        <li key={todo.id} data-testid="todo-item" data-todo-id={todo.id} className={todo.done ? 'done' : ''}>
          <label>
            <input
              type="checkbox"
              data-testid="toggle-todo"
              data-todo-id={todo.id}
              checked={todo.done}
              onChange={() => onToggle(todo)}
            />
            <span data-testid="todo-title">{todo.title}</span>
          </label>
          <button
            type="button"
            className="delete"
            data-testid="delete-todo"
            data-todo-id={todo.id}
            aria-label={`Delete ${todo.title}`}
            onClick={() => onDelete(todo)}
          >
            Delete
          </button>
        </li>
      ))}
    </ul>
  );
}

function BackendInfo({ info, error, onRefresh }) {
  return (
    <footer id="backend-info" data-testid="backend-info" className="footer">
      <span data-testid="frontend-version">frontend {__APP_VERSION__}</span>
      {' · '}
      {info ? (
        <>
          backend <span data-testid="info-app">{info.app}</span>{' '}
          <span data-testid="info-version">{info.version}</span> on host{' '}
          <code data-testid="info-hostname">{info.hostname}</code>, Java{' '}
          <span data-testid="info-java">{info.java}</span>
        </>
      ) : (
        <span data-testid="info-missing">{error ? `backend unreachable (${error})` : 'asking the backend…'}</span>
      )}{' '}
      <button type="button" className="link" data-testid="refresh-info" onClick={onRefresh}>
        refresh
      </button>
    </footer>
  );
}

export default function App() {
  const [todos, setTodos] = useState([]);
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [info, setInfo] = useState(null);
  const [infoError, setInfoError] = useState(null);

  const refreshTodos = useCallback(async () => {
    try {
      setTodos(await listTodos());
      setError(null);
    } catch (err) {
      setError(`Could not load todos: ${err.message}`);
    } finally {
      setLoading(false);
    }
  }, []);

  const refreshInfo = useCallback(async () => {
    try {
      setInfo(await backendInfo());
      setInfoError(null);
    } catch (err) {
      setInfo(null);
      setInfoError(err.message);
    }
  }, []);

  useEffect(() => {
    refreshTodos();
    refreshInfo();
  }, [refreshTodos, refreshInfo]);

  async function run(action, what) {
    setBusy(true);
    try {
      await action();
      setError(null);
      return true;
    } catch (err) {
      setError(`Could not ${what}: ${err.message}`);
      return false;
    } finally {
      setBusy(false);
      refreshTodos();
    }
  }

  return (
    <div className="app">
      <header>
        <h1 id="app-title" data-testid="app-title">
          Todos <small>dockerlab</small>
        </h1>
        <p className="subtitle">React in nginx, talking to a Java backend — each in its own container.</p>
      </header>
      <main>
        <TodoForm busy={busy} onAdd={(title) => run(() => addTodo(title), 'add the todo')} />
        {error && (
          <div id="error" data-testid="error-message" role="alert" className="error">
            {error}
          </div>
        )}
        {loading ? (
          <p data-testid="loading">Loading…</p>
        ) : (
          <TodoList
            todos={todos}
            onToggle={(todo) => run(() => setDone(todo.id, !todo.done), 'update the todo')}
            onDelete={(todo) => run(() => deleteTodo(todo.id), 'delete the todo')}
          />
        )}
        {!loading && (
          <p id="todo-count" data-testid="todo-count" className="count">
            {todos.length} {todos.length === 1 ? 'todo' : 'todos'}, {todos.filter((t) => t.done).length} done
          </p>
        )}
      </main>
      <BackendInfo info={info} error={infoError} onRefresh={refreshInfo} />
    </div>
  );
}
