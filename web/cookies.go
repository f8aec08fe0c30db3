package web

// SessionCookie names the cookie holding a signed-in person's session (path
// "/"): what Relais serves beside the web UI on the same address, such as
// GET /metrics, recognizes the person by it too.
const SessionCookie = sessionCookie
