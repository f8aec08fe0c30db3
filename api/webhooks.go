package api

import (
	"net/http"

	"relais"
)

// webhookRoutes are the routes of the outbound webhooks to ticketing
// tools: administrators only.
func (s *Server) webhookRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/webhooks", Auth: true, Summary: "The outbound webhooks, newest first, without their secrets (administrators)", Response: "WebhookList", Status: 200, handle: s.webhooks},
		{Method: "POST", Path: "/api/v1/webhooks", Auth: true, Summary: "Add an outbound webhook; its signing secret is in this answer only (administrators)", Request: "NewWebhook", Response: "CreatedWebhook", Status: 201, handle: s.createWebhook},
		{Method: "POST", Path: "/api/v1/webhooks/{id}/disable", Auth: true, Summary: "Turn a webhook off: its pending deliveries are given up (administrators)", Response: "Webhook", Status: 200, handle: s.disableWebhook},
		{Method: "POST", Path: "/api/v1/webhooks/{id}/enable", Auth: true, Summary: "Turn a webhook on again (administrators)", Response: "Webhook", Status: 200, handle: s.enableWebhook},
		{Method: "GET", Path: "/api/v1/webhooks/deliveries", Query: []string{"limit"}, Auth: true, Summary: "The delivery log of every webhook, newest first (administrators)", Response: "DeliveryList", Status: 200, handle: s.deliveries},
	}
}

func (s *Server) webhooks(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	hs, err := s.App.Webhooks(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": hs})
	return nil
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		URL    *string  `json:"url"`
		Events []string `json:"events"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.URL == nil {
		return required("url")
	}
	h, err := s.App.CreateWebhook(r.Context(), u, *in.URL, in.Events)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, h)
	return nil
}

func (s *Server) disableWebhook(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.setWebhookActive(w, r, u, false)
}

func (s *Server) enableWebhook(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.setWebhookActive(w, r, u, true)
}

func (s *Server) setWebhookActive(w http.ResponseWriter, r *http.Request, u *relais.User, active bool) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	h, err := s.App.SetWebhookActive(r.Context(), u, id, active)
	return writeResult(w, h, err)
}

func (s *Server) deliveries(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	limit, err := queryInt(r, "limit", 20, 1, 100)
	if err != nil {
		return err
	}
	ds, err := s.App.Deliveries(r.Context(), u, 0, int(limit))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
	return nil
}
