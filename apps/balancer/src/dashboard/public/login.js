// Trades the access token for a session cookie (the dashboard's EventSource cannot send a header) and
// keeps the token where the dashboard's settings look for it, then opens the dashboard.
const form = document.getElementById('login-form');
const input = document.getElementById('login-token');
const result = document.getElementById('login-result');

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = input.value.trim();
  const res = await fetch('/api/v1/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    result.textContent = res.status === 401 ? 'Wrong access token.' : `The module answered ${res.status}.`;
    return;
  }
  localStorage.setItem('p1-token', token);
  location.assign('/');
});
