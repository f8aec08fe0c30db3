package api

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/app"
	"relais/events"
)

func (s *Server) eventRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/events", Query: []string{"after"}, Auth: true, Stream: true,
			Summary: "Live updates: Server-Sent Events of what the caller may see (resumable with Last-Event-ID)", Status: 200, handle: s.events},
	}
}

func (s *Server) events(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	tok, _ := r.Context().Value(tokenKey).(string)
	return ServeEvents(w, r, s.App, u, app.Credential{Token: tok}, s.Log)
}

// LastEventID reads where a client resumes: the Last-Event-ID header a
// reconnecting EventSource sends, or the "after" parameter a page gives
// its first connection (the id of the newest event when it was drawn).
func LastEventID(r *http.Request) (int64, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("after")
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0, &relais.Error{Code: relais.EINVALID, Field: "Last-Event-ID",
			Message:   "Last-Event-ID (or after) must be the id of an event this stream sent: a whole number.",
			MessageFR: "Last-Event-ID (ou after) doit être l'identifiant d'un événement reçu de ce flux : un nombre entier."}
	}
	return n, nil
}

// ServeEvents answers a stream of Server-Sent Events for u until the
// client goes, the server stops or the credential ends. The web pages
// and the API share it.
//
// On HTTP/1.1 the stream takes the connection over from the server once
// its headers are written: the server's buffers and its reading goroutine
// go, leaving a stream a few kilobytes of memory (see docs/PERFORMANCE.md).
// A client that leaves is noticed at the next write, the keep-alive at the
// latest. On HTTP/2 the stream stays within the server.
func ServeEvents(w http.ResponseWriter, r *http.Request, svc *app.Service, u *relais.User, cred app.Credential, log *slog.Logger) error {
	after, err := LastEventID(r)
	if err != nil {
		return err
	}
	st, err := svc.Subscribe(r.Context(), u, cred, after)
	if err != nil {
		return err
	}
	keep := false // the stream outlives this call
	defer func() {
		if !keep {
			st.Close()
		}
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a buffering proxy in front would hold the events back

	rc := http.NewResponseController(w)
	ctx := r.Context()
	var out *bufio.Writer
	var flush func() error
	var hijacked net.Conn
	if r.ProtoMajor == 1 {
		if conn, _, err := rc.Hijack(); err == nil {
			hijacked = conn
			// The connection is ours: the request's context no longer
			// follows it; a write error tells that the client has gone.
			ctx = context.Background()
			out = bufio.NewWriterSize(conn, 512)
			out.WriteString("HTTP/1.1 200 OK\r\n")
			h.Del("Content-Length")
			h.Set("Connection", "close")
			h.Write(out)
			out.WriteString("\r\n")
			var deadline time.Time
			flush = func() error {
				if next, move := writeDeadline(time.Now(), deadline); move {
					deadline = next
					conn.SetWriteDeadline(deadline)
				}
				return out.Flush()
			}
		}
	}
	if out == nil {
		// A stream lives longer than the server's read timeout, which
		// would otherwise end it: nothing more is read from it.
		rc.SetReadDeadline(time.Time{})
		w.WriteHeader(http.StatusOK)
		out = bufio.NewWriterSize(w, 512)
		flush = func() error {
			// The server's write timeout is for answers, not streams:
			// each write gets its own deadline.
			rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
			if err := out.Flush(); err != nil {
				return err
			}
			return rc.Flush()
		}
	}
	if hijacked != nil {
		// The handler's goroutine, deep from the server and the service,
		// ends here; the stream goes on in a new, shallow one.
		go func() {
			defer st.Close()
			defer hijacked.Close()
			defer func() {
				if v := recover(); v != nil {
					log.Error("live stream: panic", "user", u.ID, "panic", v, "stack", string(debug.Stack()))
				}
			}()
			stream(ctx, st, out, flush, u, log)
		}()
		keep = true
		return nil
	}
	stream(ctx, st, out, flush, u, log)
	return nil
}

// stream writes st's events to out until it ends.
func stream(ctx context.Context, st *app.Stream, out *bufio.Writer, flush func() error, u *relais.User, log *slog.Logger) {
	var frame []byte
	// The client waits two seconds before reconnecting.
	out.WriteString("retry: 2000\n")
	if st.Reset {
		frame = appendEvent(frame[:0], st.LastID(), events.Event{Kind: "stream.reset", At: time.Now().UTC()})
		out.Write(frame)
	} else {
		out.WriteString(":\n\n")
	}
	if err := flush(); err != nil {
		return // gone already
	}
	for {
		evs, err := st.Next(ctx)
		switch {
		case app.IsStreamEnded(err):
			out.Write(appendEvent(frame[:0], st.LastID(), events.Event{Kind: "stream.ended", At: time.Now().UTC()}))
			flush()
			return
		case errors.Is(err, app.ErrLiveStopped), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), ctx.Err() != nil:
			return
		case err != nil:
			log.Error("live stream", "user", u.ID, "err", err)
			return // the client reconnects and resumes from its last id
		}
		if len(evs) == 0 {
			out.WriteString(":\n\n")
		}
		for _, e := range evs {
			frame = appendEvent(frame[:0], e.ID, e)
			out.Write(frame)
		}
		if err := flush(); err != nil {
			return // the client has gone
		}
	}
}

// A client that stops reading is let go once a write has waited
// streamWriteTimeout. The deadline moves only when less than
// streamDeadlineSlack is left, not at each write; the slack is larger than
// the longest time between two writes (the keep-alive, 25 s) with room to
// spare, so that a deadline never passes between two writes of a stream
// that is read.
const (
	streamWriteTimeout  = 60 * time.Second
	streamDeadlineSlack = 50 * time.Second
)

// writeDeadline says whether, at now, the write deadline current must move,
// and where to.
func writeDeadline(now, current time.Time) (time.Time, bool) {
	if current.Sub(now) >= streamDeadlineSlack {
		return current, false
	}
	return now.Add(streamWriteTimeout), true
}

// appendEvent appends e as one event of the stream: its id, then a data
// line of JSON with what happened and where, never the text (the client
// reads the rest through the pages or the API, which decide again). Kinds
// are the events package's constants, plain ASCII words.
func appendEvent(b []byte, id int64, e events.Event) []byte {
	b = append(b, "id: "...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, "\ndata: {\"kind\":\""...)
	b = append(b, e.Kind...)
	b = append(b, '"')
	field := func(name string, v int64) {
		if v != 0 {
			b = append(b, ",\""...)
			b = append(b, name...)
			b = append(b, "\":"...)
			b = strconv.AppendInt(b, v, 10)
		}
	}
	field("space_id", e.SpaceID)
	field("post_id", e.PostID)
	field("reply_id", e.ReplyID)
	field("subject_id", e.Subject)
	b = append(b, ",\"at\":\""...)
	b = e.At.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, "\"}\n\n"...)
}
