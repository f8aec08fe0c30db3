package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"relais"
	"relais/app"
	"relais/policy"
)

// registerAdmin adds the administration pages: the outbound webhooks.
func (s *Server) registerAdmin(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /admin/webhooks", s.signedIn(s.webhooks))
	mux.Handle("POST /admin/webhooks", post(s.signedIn(s.createWebhook)))
	mux.Handle("POST /admin/webhooks/{id}/active", post(s.signedIn(s.setWebhookActive)))
}

// deliveriesListed is the number of deliveries the log shows.
const deliveriesListed = 50

// ManagesWebhooks reports whether the header links the webhooks page: the
// policy lets the person configure them (an internal administrator).
func (p *Page) ManagesWebhooks() bool {
	return p.User != nil && policy.Decide(policy.ActorOf(p.User), policy.ManageWebhooks, policy.Target{}).Allowed()
}

// webhooksPage is the administration of outbound webhooks: the list, the
// form that adds one (whose secret is shown once, just after), and the
// delivery log.
type webhooksPage struct {
	Page
	Hooks      []*relais.Webhook
	Deliveries []*relais.Delivery
	Events     []string
	Created    *app.NewWebhook // the webhook just created, with its secret
	Form       webhookForm
	Notice     string
	Error      string
	Rule       string
	// Item is the webhook the error is about (0: the creation form).
	Item int64
}

// webhookForm is the input of the creation form, kept when refused.
type webhookForm struct {
	URL    string
	Events []string
	Field  string
}

// Listed is the number of deliveries the log shows at most.
func (wp *webhooksPage) Listed() int { return deliveriesListed }

// Checked reports whether the creation form has an event ticked.
func (f webhookForm) Checked(event string) bool { return slices.Contains(f.Events, event) }

// EventName names an event a webhook receives.
func (p *Page) EventName(event string) string {
	if event == "*" || slices.Contains(relais.WebhookEvents, event) {
		return p.T("webhooks.event." + event)
	}
	return event
}

// DeliveryClass returns the class of a delivery's status tag.
func (p *Page) DeliveryClass(status string) string {
	switch status {
	case "delivered":
		return "status-approved"
	case "failed":
		return "status-rejected"
	}
	return "status-pending"
}

// DeliveryStatus names a delivery's status.
func (p *Page) DeliveryStatus(status string) string {
	switch status {
	case "pending", "delivered", "failed":
		return p.T("webhooks.delivery." + status)
	}
	return status
}

// deliveryReasons are the catalog keys of the reasons a delivery failed
// that take no value (app.Reason…).
var deliveryReasons = map[string]string{
	app.ReasonConnectionRefused: "webhooks.reason.connection_refused",
	app.ReasonConnectionReset:   "webhooks.reason.connection_reset",
	app.ReasonHostNotFound:      "webhooks.reason.host_not_found",
	app.ReasonNameResolution:    "webhooks.reason.name_resolution",
	app.ReasonUnreachable:       "webhooks.reason.unreachable",
	app.ReasonCertificate:       "webhooks.reason.certificate",
	app.ReasonTLS:               "webhooks.reason.tls",
	app.ReasonConnection:        "webhooks.reason.connection",
	app.ReasonInvalidAnswer:     "webhooks.reason.invalid_answer",
	app.ReasonInvalidURL:        "webhooks.reason.invalid_url",
	app.ReasonTurnedOff:         "webhooks.reason.turned_off",
}

// DeliveryReason says in the page's language why a delivery's last
// attempt failed: the log keeps a few words of Relais (relais.Delivery).
func (p *Page) DeliveryReason(reason string) string {
	if key, ok := deliveryReasons[reason]; ok {
		return p.T(key)
	}
	if status, ok := strings.CutSuffix(reason, ": "+app.ReasonRedirect); ok {
		return p.Tf("webhooks.reason.redirect", status)
	}
	if d, ok := strings.CutPrefix(reason, "no answer within "); ok {
		return p.Tf("webhooks.reason.timeout", d)
	}
	if class, ok := strings.CutPrefix(reason, "destination refused: "); ok && slices.Contains(app.DestinationClasses, class) {
		return p.Tf("webhooks.reason.destination", p.T("webhooks.refused."+strings.ReplaceAll(class, " ", "_")))
	}
	return reason // "HTTP 500" in every language
}

func (s *Server) loadWebhooks(r *http.Request, v *visit) (*webhooksPage, error) {
	hs, err := s.App.Webhooks(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	ds, err := s.App.Deliveries(r.Context(), v.User, 0, deliveriesListed)
	if err != nil {
		return nil, err
	}
	wp := &webhooksPage{Page: v.page(r, text(v.Lang, "webhooks.title")), Hooks: hs, Deliveries: ds,
		Events: append([]string{"*"}, relais.WebhookEvents...)}
	wp.Path = "/admin/webhooks"
	return wp, nil
}

func (s *Server) webhooks(w http.ResponseWriter, r *http.Request, v *visit) {
	wp, err := s.loadWebhooks(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	switch r.URL.Query().Get("done") {
	case "enabled":
		wp.Notice = wp.T("webhooks.done.enabled")
	case "disabled":
		wp.Notice = wp.T("webhooks.done.disabled")
	}
	s.render(w, r, http.StatusOK, "webhooks", wp)
}

// refuseOnWebhooks shows the webhooks page again with the error of a form.
func (s *Server) refuseOnWebhooks(w http.ResponseWriter, r *http.Request, v *visit, item int64, err error, form webhookForm) {
	status, e, msg := s.message(r, v.Lang, err)
	wp, lerr := s.loadWebhooks(r, v)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	wp.Error, wp.Rule, wp.Item = msg, e.Rule, item
	form.Field = e.Field
	wp.Form = form
	s.render(w, r, status, "webhooks", wp)
}

// createWebhook adds a webhook and shows its secret, once: the page is the
// answer to the form, never a redirect that would carry the secret.
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, v *visit) {
	form := webhookForm{URL: r.PostForm.Get("url"), Events: r.PostForm["events"]}
	h, err := s.App.CreateWebhook(r.Context(), v.User, form.URL, form.Events)
	if err != nil {
		s.refuseOnWebhooks(w, r, v, 0, err, form)
		return
	}
	wp, err := s.loadWebhooks(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	wp.Created = h
	s.render(w, r, http.StatusCreated, "webhooks", wp)
}

func (s *Server) setWebhookActive(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	var active bool
	switch r.PostForm.Get("active") {
	case "true":
		active = true
	case "false":
	default:
		s.refuseOnWebhooks(w, r, v, id, &relais.Error{Code: relais.EINVALID, Field: "active",
			Message: "active is true or false.", MessageFR: "active vaut true ou false."}, webhookForm{})
		return
	}
	if _, err := s.App.SetWebhookActive(r.Context(), v.User, id, active); err != nil {
		s.refuseOnWebhooks(w, r, v, id, err, webhookForm{})
		return
	}
	done := "disabled"
	if active {
		done = "enabled"
	}
	http.Redirect(w, r, "/admin/webhooks?done="+done+"#webhook-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
