package relais

import "time"

// Webhook is an outbound endpoint that receives signals and escalations.
type Webhook struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Secret    string    `json:"-"`
	Events    []string  `json:"events"`
	Active    bool      `json:"active"`
	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// WebhookEvents are the events a webhook may receive.
var WebhookEvents = []string{"signal.raised", "signal.decided", "escalation.raised", "escalation.resolved"}

// Delivery is one attempt series of sending one event to one webhook.
// LastError is why the last attempt failed, in a few words of Relais
// ("HTTP 500", "connection refused", "destination refused: private
// address"): never what the receiver answered.
type Delivery struct {
	ID            int64      `json:"id"`
	WebhookID     int64      `json:"webhook_id"`
	URL           string     `json:"url"`
	Secret        string     `json:"-"`
	Event         string     `json:"event"`
	Payload       string     `json:"payload"`
	Status        string     `json:"status"` // pending, delivered, failed
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastStatus    int        `json:"last_status,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	DeliveredAt   *time.Time `json:"delivered_at,omitempty"`
}
