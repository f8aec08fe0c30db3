package web

// notifyMessages are the sentences of the notifications that ask for a
// decision or report one: approvals and requests to join waiting, signals,
// escalations and reports. Merged into messages at start-up.
var notifyMessages = map[string]map[string]string{
	"fr": {
		"notify.approval_requested":     "%s attend votre approbation dans %s.",
		"notify.see_approvals":          "Voir les approbations",
		"notify.join_requested":         "%s demande à rejoindre %s.",
		"notify.see_requests":           "Décider de la demande",
		"notify.signal_raised":          "%s vous adresse un signal depuis %s.",
		"notify.signal_decided":         "%s a répondu à votre signal dans %s : %s.",
		"notify.signal_stale":           "Un signal de %s attend une réponse au-delà de son échéance.",
		"notify.signal_suggested":       "%s suggère un signal dans %s.",
		"notify.see_signal":             "Voir le signal",
		"notify.see_suggestions":        "Voir les suggestions",
		"notify.summary":                "Résumé :",
		"notify.decision":               "Décision :",
		"notify.note":                   "Suggestion :",
		"notify.escalation_raised":      "%s vous escalade une situation dans %s (gravité : %s).",
		"notify.escalation_resolved":    "%s a résolu votre escalade dans %s.",
		"notify.resolution":             "Résolution :",
		"notify.see_escalations":        "Voir les escalades",
		"notify.report":                 "Le rapport de %s pour %s est prêt.",
		"notify.see_report":             "Lire le rapport",
		"notify.status.acknowledged":    "pris en compte",
		"notify.status.accepted":        "accepté",
		"notify.status.rejected":        "refusé",
		"notify.status.planned":         "planifié",
		"notify.status.done":            "réalisé",
		"notify.severity.low":           "faible",
		"notify.severity.high":          "élevée",
		"notify.severity.critical":      "critique",
		"notify.space_requested":        "%s demande la création de la communauté « %s ».",
		"notify.space_request_approved": "%s a approuvé votre demande : la communauté « %s » est créée.",
		"notify.space_request_refused":  "%s a refusé votre demande de communauté.",
		"notify.see_space_request":      "Voir la demande",
	},
	"en": {
		"notify.approval_requested":     "%s waits for your approval in %s.",
		"notify.see_approvals":          "See the approvals",
		"notify.join_requested":         "%s asks to join %s.",
		"notify.see_requests":           "Decide on the request",
		"notify.signal_raised":          "%s routes a signal to you from %s.",
		"notify.signal_decided":         "%s answered your signal in %s: %s.",
		"notify.signal_stale":           "A signal from %s waits for an answer past its deadline.",
		"notify.signal_suggested":       "%s suggests a signal in %s.",
		"notify.see_signal":             "See the signal",
		"notify.see_suggestions":        "See the suggestions",
		"notify.summary":                "Summary:",
		"notify.decision":               "Decision:",
		"notify.note":                   "Suggestion:",
		"notify.escalation_raised":      "%s escalates a situation in %s to you (severity: %s).",
		"notify.escalation_resolved":    "%s resolved your escalation in %s.",
		"notify.resolution":             "Resolution:",
		"notify.see_escalations":        "See the escalations",
		"notify.report":                 "The report of %s for %s is ready.",
		"notify.see_report":             "Read the report",
		"notify.status.acknowledged":    "acknowledged",
		"notify.status.accepted":        "accepted",
		"notify.status.rejected":        "rejected",
		"notify.status.planned":         "planned",
		"notify.status.done":            "done",
		"notify.severity.low":           "low",
		"notify.severity.high":          "high",
		"notify.severity.critical":      "critical",
		"notify.space_requested":        "%s asks for the community “%s”.",
		"notify.space_request_approved": "%s approved your request: the community “%s” is created.",
		"notify.space_request_refused":  "%s refused your request for a community.",
		"notify.see_space_request":      "See the request",
	},
}

func init() {
	for lang, texts := range notifyMessages {
		m, ok := messages[lang]
		if !ok {
			panic("web: notification messages in unknown language " + lang)
		}
		for k, s := range texts {
			if _, dup := m[k]; dup {
				panic("web: message key defined twice: " + k)
			}
			m[k] = s
		}
	}
}
