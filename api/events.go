package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/app"
	"relais/events"
)

func (s *Server) eventRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/events", Query: []string{"after"}, Auth: true,
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

// liveEvent is what a stream's data line carries: what happened and
// where, never the text; the client reads the rest through the pages or
// the API, which decide again.
type liveEvent struct {
	Kind    string    `json:"kind"`
	SpaceID int64     `json:"space_id,omitempty"`
	PostID  int64     `json:"post_id,omitempty"`
	ReplyID int64     `json:"reply_id,omitempty"`
	Subject int64     `json:"subject_id,omitempty"`
	At      time.Time `json:"at"`
}

func liveOf(e events.Event) liveEvent {
	return liveEvent{Kind: e.Kind, SpaceID: e.SpaceID, PostID: e.PostID, ReplyID: e.ReplyID, Subject: e.Subject, At: e.At}
}

// ServeEvents answers a stream of Server-Sent Events for u until the
// client goes, the server stops or the credential ends. The web pages
// and the API share it.
func ServeEvents(w http.ResponseWriter, r *http.Request, svc *app.Service, u *relais.User, cred app.Credential, log *slog.Logger) error {
	after, err := LastEventID(r)
	if err != nil {
		return err
	}
	st, err := svc.Subscribe(r.Context(), u, cred, after)
	if err != nil {
		return err
	}
	defer st.Close()
	rc := http.NewResponseController(w)
	// A stream lives longer than the server's read timeout, which would
	// otherwise end it: nothing more is read from this connection.
	rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a buffering proxy in front would hold the events back
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 1024)
	// The client waits two seconds before reconnecting.
	bw.WriteString("retry: 2000\n")
	if st.Reset {
		writeEvent(bw, st.LastID(), liveEvent{Kind: "stream.reset", At: time.Now().UTC()})
	} else {
		bw.WriteString(": " + strconv.FormatInt(st.LastID(), 10) + "\n\n")
	}
	flush := func() error {
		// The server's write timeout is for answers, not streams: each
		// write gets its own deadline.
		rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if err := bw.Flush(); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := flush(); err != nil {
		return nil // gone already
	}
	for {
		evs, err := st.Next(r.Context())
		switch {
		case app.IsStreamEnded(err):
			writeEvent(bw, st.LastID(), liveEvent{Kind: "stream.ended", At: time.Now().UTC()})
			flush()
			return nil
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), r.Context().Err() != nil:
			return nil
		case err != nil:
			log.Error("live stream", "user", u.ID, "err", err)
			return nil // the client reconnects and resumes from its last id
		}
		if len(evs) == 0 {
			bw.WriteString(":\n\n")
		}
		for _, e := range evs {
			writeEvent(bw, e.ID, liveOf(e))
		}
		if err := flush(); err != nil {
			return nil
		}
	}
}

func writeEvent(bw *bufio.Writer, id int64, e liveEvent) {
	b, _ := json.Marshal(e)
	bw.WriteString("id: ")
	bw.WriteString(strconv.FormatInt(id, 10))
	bw.WriteString("\ndata: ")
	bw.Write(b)
	bw.WriteString("\n\n")
}
