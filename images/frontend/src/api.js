// The backend's REST API, reached through the same origin: nginx (or Vite in dev) forwards
// /api/ and /actuator/ to the Java backend.

async function request(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}) },
  });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (body && body.message) message = `${message}: ${body.message}`;
    } catch {
      // not JSON (for example nginx's 502 page when the backend is down)
    }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

export const listTodos = () => request('/api/todos');

export const addTodo = (title) =>
  request('/api/todos', { method: 'POST', body: JSON.stringify({ title }) });

export const setDone = (id, done) =>
  request(`/api/todos/${id}`, { method: 'PATCH', body: JSON.stringify({ done }) });

export const deleteTodo = (id) => request(`/api/todos/${id}`, { method: 'DELETE' });

export const backendInfo = () => request('/api/info');
