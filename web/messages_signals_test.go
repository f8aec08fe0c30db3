package web

import (
	"strings"
	"testing"

	"relais"
	"relais/app"
)

// TestSignalKeysComplete checks the texts the signals, escalations,
// reports and webhooks pages name from the domain's values, which
// TestCatalogCoversUse cannot see in the code.
func TestSignalKeysComplete(t *testing.T) {
	var keys []string
	for _, st := range []relais.SignalStatus{relais.SignalNew, relais.SignalAcknowledged, relais.SignalAccepted,
		relais.SignalRejected, relais.SignalPlanned, relais.SignalDone} {
		keys = append(keys, "signals.status."+string(st))
	}
	for _, sv := range severities {
		keys = append(keys, "escalations.severity."+string(sv))
	}
	for _, k := range relais.BenefitKinds {
		keys = append(keys, "reports.benefit."+string(k))
	}
	for _, ev := range append([]string{"*"}, relais.WebhookEvents...) {
		keys = append(keys, "webhooks.event."+ev)
	}
	for _, st := range []string{"pending", "delivered", "failed"} {
		keys = append(keys, "webhooks.delivery."+st)
	}
	for _, c := range app.DestinationClasses {
		keys = append(keys, "webhooks.refused."+strings.ReplaceAll(c, " ", "_"))
	}
	for _, k := range deliveryReasons {
		keys = append(keys, k)
	}
	keys = append(keys, "reports.declarations.one", "reports.declarations.other")
	for _, lang := range []string{"fr", "en"} {
		for _, k := range keys {
			if _, ok := messages[lang][k]; !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
	for _, lang := range []string{"fr", "en"} {
		if n := len(strings.Split(messages[lang]["reports.month_names"], "|")); n != 12 {
			t.Errorf("%s: %d month names", lang, n)
		}
	}
}
