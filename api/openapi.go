package api

import (
	"encoding/json"
	"regexp"
	"strings"
)

// OpenAPI returns the OpenAPI 3.1 document of the given routes. Paths,
// methods, parameters and schemas come from the route table itself; a test
// holds the document against the routes the server really answers.
func OpenAPI(routes []Route) []byte {
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		p := paths[rt.Path]
		if p == nil {
			p = map[string]any{}
			paths[rt.Path] = p
		}
		p[strings.ToLower(rt.Method)] = operation(rt)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Relais API",
			"version":     "1",
			"description": "The JSON API of Relais. Every call but POST /api/v1/tokens sends Authorization: Bearer <token>. Errors are {\"error\":{\"code\",\"message\",\"rule\"}}; messages follow Accept-Language (French or English).",
		},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
			"schemas":         schemas,
		},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func operation(rt Route) map[string]any {
	op := map[string]any{"summary": rt.Summary, "operationId": operationID(rt)}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
			"schema": map[string]any{"type": "integer", "minimum": 1}})
	}
	for _, q := range rt.Query {
		params = append(params, map[string]any{"name": q, "in": "query", "required": q == "q", "schema": queryParamSchema[q]})
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.Request != "" {
		mediaType := "application/json"
		if rt.Request == "DirectoryCSV" {
			mediaType = "text/csv"
		}
		op["requestBody"] = map[string]any{"required": true,
			"content": map[string]any{mediaType: map[string]any{"schema": ref(rt.Request)}}}
	}
	ok := map[string]any{"description": "Success"}
	if rt.Response != "" {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": ref(rt.Response)}}
	}
	if rt.Stream {
		ok["description"] = "A stream of Server-Sent Events: an id: line and a data: line of JSON each (kind, space_id, post_id, reply_id, subject_id, at)"
		ok["content"] = map[string]any{"text/event-stream": map[string]any{"schema": map[string]any{"type": "string"}}}
		params, _ := op["parameters"].([]any)
		op["parameters"] = append(params, map[string]any{"name": "Last-Event-ID", "in": "header", "required": false,
			"description": "The id of the last event received: the stream resumes after it", "schema": map[string]any{"type": "integer"}})
	}
	errResp := map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
	responses := map[string]any{itoa(rt.Status): ok, "400": errResp, "404": errResp}
	if rt.Path == "/api/v1/spaces/{id}/members" && rt.Method == "POST" {
		responses["202"] = map[string]any{"description": "Request pending a steward's approval",
			"content": map[string]any{"application/json": map[string]any{"schema": ref("JoinResult")}}}
		responses["409"], responses["422"] = errResp, errResp
	}
	if rt.Pending {
		responses["202"] = map[string]any{"description": "Waiting for the approval of the mentor of a steward in co-pilot",
			"content": map[string]any{"application/json": map[string]any{"schema": ref("ActionResult")}}}
	}
	if rt.Auth {
		op["security"] = []any{map[string]any{"bearer": []any{}}}
		responses["401"], responses["403"] = errResp, errResp
	} else {
		responses["401"], responses["429"] = errResp, errResp
	}
	if rt.Request != "" {
		responses["413"], responses["422"] = errResp, errResp
	}
	op["responses"] = responses
	return op
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func operationID(rt Route) string {
	id := strings.ToLower(rt.Method)
	for _, part := range strings.Split(strings.TrimPrefix(rt.Path, "/api/v1/"), "/") {
		part = strings.Trim(part, "{}")
		id += strings.ToUpper(part[:1]) + part[1:]
	}
	return strings.ReplaceAll(id, "-", "")
}

var queryParamSchema = map[string]any{
	"q":      map[string]any{"type": "string", "maxLength": 500},
	"limit":  map[string]any{"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
	"before": map[string]any{"type": "integer", "minimum": 1, "description": "only items older than this id"},
	"login":  map[string]any{"type": "string"},
	"from":   map[string]any{"type": "string", "format": "date", "description": "first day of the period, YYYY-MM-DD (default: 30 days ago; for a report, with to, or neither for the last full calendar month)"},
	"to":     map[string]any{"type": "string", "format": "date", "description": "last day of the period, included, YYYY-MM-DD (default: today; for a report, with from, at most 366 days after it)"},
	"period": map[string]any{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "a calendar month, YYYY-MM, instead of from and to"},
	"format": map[string]any{"type": "string", "enum": []string{"json", "csv"}, "default": "json"},
}

func obj(required []string, props map[string]any) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

var (
	str     = map[string]any{"type": "string"}
	integer = map[string]any{"type": "integer"}
	boolean = map[string]any{"type": "boolean"}
	instant = map[string]any{"type": "string", "format": "date-time"}
)

func enum(vals ...string) map[string]any { return map[string]any{"type": "string", "enum": vals} }
func array(items any) map[string]any     { return map[string]any{"type": "array", "items": items} }

var postKinds = enum("discussion", "question", "problem", "best_practice", "coordination", "decision")
var reactionKinds = enum("like", "thanks", "insightful", "agree")
var statuses = enum("published", "pending_approval", "hidden", "rejected")

var schemas = map[string]any{
	// Outbound webhooks (api/webhooks.go).
	"NewWebhook": obj([]string{"url", "events"}, map[string]any{
		"url": map[string]any{"type": "string", "format": "uri", "maxLength": 2000, "description": "absolute http or https URL, without user or password; an internal destination (loopback, private, link-local… address, or internal name) is refused with 422 unless the server runs with --webhooks-allow-private"},
		"events": map[string]any{"type": "array", "minItems": 1, "items": webhookEvents,
			"description": `the events to receive, or ["*"] for every one`}}),
	"Webhook": obj([]string{"id", "url", "events", "active"}, map[string]any{"id": integer, "url": str,
		"events": array(webhookEvents), "active": boolean, "created_by": integer, "created_at": instant}),
	"CreatedWebhook": obj([]string{"id", "url", "events", "active", "secret"}, map[string]any{"id": integer, "url": str,
		"events": array(webhookEvents), "active": boolean, "created_by": integer, "created_at": instant,
		"secret": map[string]any{"type": "string", "description": "the key of the HMAC-SHA256 in Relais-Signature; shown in this answer only"}}),
	"WebhookList": obj([]string{"webhooks"}, map[string]any{"webhooks": array(ref("Webhook"))}),
	"Delivery": obj([]string{"id", "webhook_id", "event", "status", "attempts"}, map[string]any{"id": integer,
		"webhook_id": integer, "url": str, "event": str, "payload": map[string]any{"type": "string", "description": "the JSON body sent"},
		"status": enum("pending", "delivered", "failed"), "attempts": integer, "next_attempt_at": instant,
		"last_status": integer, "last_error": map[string]any{"type": "string", "maxLength": 200,
			"description": `why the last attempt failed, in a few words of Relais ("HTTP 500", "connection refused", "no answer within 10s", "destination refused: private address"); never what the receiver answered`},
		"created_at": instant, "delivered_at": instant}),
	"DeliveryList": obj([]string{"deliveries"}, map[string]any{"deliveries": array(ref("Delivery"))}),

	// Reports and the value ledger (api/reports.go).
	"NewBenefit": obj([]string{"kind", "amount"}, map[string]any{
		"post_id": integer, "signal_id": integer, "kind": benefitKinds,
		"amount": map[string]any{"type": "number", "exclusiveMinimum": 0, "maximum": 1000000000,
			"description": "in the unit, at most two decimals; a count is a whole number"},
		"unit": map[string]any{"type": "string", "enum": []string{"hours", "EUR", "count"},
			"description": "time_saved: hours; cost_avoided and revenue: EUR; quality and risk: count (of defects or incidents avoided); default: the kind's"},
		"note": map[string]any{"type": "string", "maxLength": 2000}}),
	"Benefit": obj([]string{"id", "space_id", "user_id", "kind", "amount", "unit", "created_at"}, map[string]any{
		"id": integer, "space_id": integer, "space_name": str, "post_id": integer, "signal_id": integer, "user_id": integer,
		"kind": benefitKinds, "amount": numeric, "unit": benefitUnits, "note": str, "created_at": instant}),
	"BenefitTotal": obj([]string{"kind", "unit", "amount", "count"}, map[string]any{"kind": benefitKinds, "unit": benefitUnits,
		"amount": numeric, "count": integer}),
	"BenefitList": obj([]string{"benefits", "totals"}, map[string]any{"benefits": array(ref("Benefit")),
		"totals": map[string]any{"type": "array", "items": ref("BenefitTotal"), "description": "of all the caller's benefits, not only this page"}}),
	"NarrativeRequest": obj([]string{"period", "narrative"}, map[string]any{
		"period":    map[string]any{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "the month, YYYY-MM: the current one or a past one"},
		"narrative": map[string]any{"type": "string", "maxLength": 20000, "description": "empty: remove it"}}),
	"ReportNarrative": obj([]string{"space_id", "period", "narrative"}, map[string]any{"space_id": integer, "period": str,
		"narrative": str, "author_id": integer, "author_name": str, "updated_at": instant}),
	"ReportDecision": obj([]string{"signal_id", "post_id", "summary", "status", "decision", "decided_at"}, map[string]any{
		"signal_id": integer, "post_id": integer, "post_title": str, "summary": str, "status": signalStatuses, "decision": str,
		"owner_id": integer, "owner_name": str, "unit_id": integer, "unit_name": str, "decided_by": integer, "decider_name": str,
		"decided_at": instant}),

	"Error": obj([]string{"error"}, map[string]any{"error": obj([]string{"code", "message"}, map[string]any{
		"code": str, "message": str, "rule": str, "field": str})}),
	"TokenRequest": obj([]string{"login", "password"}, map[string]any{"login": str, "password": str, "device_key": str}),
	"Token":        obj([]string{"token", "device_key"}, map[string]any{"token": str, "device_key": str, "user": ref("User")}),
	"User": obj([]string{"id", "login", "name", "roles", "employment"}, map[string]any{
		"id": integer, "login": str, "name": str, "co_pilot": boolean,
		"roles":      array(enum("administrator", "community_manager", "social_media_manager")),
		"employment": enum("internal", "external")}),
	"UserList":     obj([]string{"users"}, map[string]any{"users": array(ref("User"))}),
	"RolesRequest": obj([]string{"roles"}, map[string]any{"roles": array(enum("administrator", "community_manager", "social_media_manager"))}),
	"Charter": obj([]string{"version", "objective", "rules", "autonomy", "expected_actions"}, map[string]any{
		"version": integer, "objective": str, "rules": str, "autonomy": str, "expected_actions": str, "created_at": instant}),
	"NewCharter": obj([]string{"objective", "rules", "autonomy", "expected_actions"}, map[string]any{
		"objective": str, "rules": str, "autonomy": str, "expected_actions": str}),
	"CharterList": obj([]string{"charters"}, map[string]any{"charters": array(ref("Charter"))}),
	"Decision": obj([]string{"allowed", "effect", "rule", "reason"}, map[string]any{
		"allowed": boolean, "effect": enum("allow", "deny", "needs_approval"), "rule": str, "reason": str}),
	"Space": obj([]string{"id", "name", "kind", "audience", "join_policy", "charter"}, map[string]any{
		"id": integer, "name": str, "description": str, "kind": enum("community", "team"),
		"audience": enum("internal", "external", "mixed"), "join_policy": enum("open", "criteria", "request", "directory"),
		"join_criteria": obj(nil, map[string]any{"unit_ids": array(integer), "sites": array(str), "job_families": array(str),
			"employments": array(enum("internal", "external"))}),
		"flow": enum("in", "above"), "team_id": integer, "sponsor_unit_id": integer, "charter": ref("Charter"),
		"membership": obj(nil, map[string]any{"member": boolean, "steward": boolean, "manager": boolean,
			"charter_version": integer, "pending_request": boolean}),
		"permissions": map[string]any{"type": "object", "additionalProperties": ref("Decision")},
		"created_at":  instant}),
	"SpaceList":  obj([]string{"spaces"}, map[string]any{"spaces": array(ref("Space"))}),
	"Member":     obj([]string{"id", "login", "name"}, map[string]any{"id": integer, "login": str, "name": str, "steward": boolean, "manager": boolean, "joined": boolean}),
	"MemberList": obj([]string{"members"}, map[string]any{"members": array(ref("Member"))}),
	"JoinRequest": obj([]string{"charter_version"}, map[string]any{"charter_version": map[string]any{
		"type": "integer", "description": "the version of the charter the caller read and accepts: the current one"}}),
	"JoinResult": obj([]string{"status", "space_id", "charter_version"}, map[string]any{
		"status": enum("joined", "pending"), "space_id": integer, "charter_version": integer, "rule": str}),
	"NewPost": obj([]string{"title", "body"}, map[string]any{"kind": postKinds,
		"title": map[string]any{"type": "string", "minLength": 1, "maxLength": 200},
		"body":  map[string]any{"type": "string", "minLength": 1, "maxLength": 20000, "description": "markdown"}}),
	"Post": obj([]string{"id", "space_id", "kind", "title", "body", "status"}, map[string]any{
		"id": integer, "space_id": integer, "author_id": integer, "author_name": str, "kind": postKinds,
		"title": str, "body": str, "status": statuses, "reply_count": integer, "created_at": instant,
		"pinned": boolean, "moderation_rule": str, "moderation_reason": str}),
	"PostList": obj([]string{"posts"}, map[string]any{"posts": array(ref("Post")),
		"pinned": map[string]any{"type": "array", "items": ref("Post"), "description": "the pinned threads, most recently pinned first"}}),
	"ReactionCount": obj([]string{"kind", "count"}, map[string]any{"kind": reactionKinds, "count": integer, "mine": boolean}),
	"NewReply":      obj([]string{"body"}, map[string]any{"body": map[string]any{"type": "string", "minLength": 1, "maxLength": 20000}}),
	"Reply": obj([]string{"id", "post_id", "body", "status"}, map[string]any{
		"id": integer, "post_id": integer, "author_id": integer, "author_name": str, "body": str, "status": statuses,
		"reactions": array(ref("ReactionCount")), "created_at": instant}),
	"Thread": obj([]string{"id", "space_id", "title", "body", "replies"}, map[string]any{
		"id": integer, "space_id": integer, "author_id": integer, "author_name": str, "kind": postKinds,
		"title": str, "body": str, "status": statuses, "reply_count": integer, "created_at": instant,
		"reactions": array(ref("ReactionCount")), "replies": array(ref("Reply")), "signals": array(ref("Signal")),
		"space":       obj(nil, map[string]any{"id": integer, "name": str, "kind": enum("community", "team")}),
		"permissions": map[string]any{"type": "object", "additionalProperties": ref("Decision")}}),
	"NewReaction":    obj([]string{"kind"}, map[string]any{"kind": reactionKinds, "reply_id": integer}),
	"ReactionResult": obj([]string{"post_id", "kind", "on"}, map[string]any{"post_id": integer, "reply_id": integer, "kind": reactionKinds, "on": boolean}),
	"SearchResult": obj([]string{"post_id", "space_id", "title"}, map[string]any{
		"post_id": integer, "reply_id": integer, "space_id": integer, "space_name": str, "kind": postKinds, "title": str, "excerpt": str,
		"snippet": str, "author_id": integer, "author_name": str, "solved": boolean, "created_at": instant}),
	"SearchResults": obj([]string{"results", "count", "count_capped"}, map[string]any{"query": str, "results": array(ref("SearchResult")),
		"count": integer, "count_capped": boolean, "next_cursor": str}),
	"Approval": obj([]string{"id", "kind", "space_id", "status", "requester_id"}, map[string]any{
		"id": integer, "kind": enum("post", "reply", "join", "post.moderate", "post.pin", "post.schedule", "space.welcome", "member.invite", "member.remove",
			"signal.raise", "escalation.raise", "signal.dismiss"),
		"post_id": integer, "reply_id": integer, "space_id": integer, "target_id": integer, "action": ref("ActionPayload"),
		"join_request_id": integer, "join_user_name": str, "join_approve": boolean, "join_reason": str,
		"space_name": str, "post_title": str, "body": str, "requester_id": integer, "requester_name": str,
		"mentor_id": integer, "status": enum("pending", "approved", "rejected"), "reason": str, "decided_by": integer,
		"created_at": instant, "decided_at": instant}),
	"AuditEntry": obj([]string{"id", "at", "action", "subject_kind", "subject_id"}, map[string]any{
		"id": integer, "at": instant, "actor_id": integer, "actor_name": str, "action": str, "subject_kind": str,
		"subject_id": integer, "space_id": integer, "detail": str,
		"redacted": map[string]any{"type": "boolean", "description": "true when the entry belongs to a team space the caller may not read: detail then holds a placeholder (Accept-Language) instead of what was written there"}}),
	"AuditList": obj([]string{"entries"}, map[string]any{"entries": array(ref("AuditEntry"))}),
	"MembershipRequest": obj([]string{"id", "space_id", "user_id", "status", "charter_version"}, map[string]any{
		"id": integer, "space_id": integer, "space_name": str, "user_id": integer, "user_name": str,
		"charter_version": integer, "status": enum("pending", "approved", "refused"), "reason": str,
		"created_at": instant, "decided_at": instant, "waiting_for_mentor": boolean}),
	"MembershipRequestList": obj([]string{"requests"}, map[string]any{"requests": array(ref("MembershipRequest"))}),
	"MembershipDecision": obj([]string{"request", "status"}, map[string]any{"request": ref("MembershipRequest"),
		"status": enum("decided", "pending_approval"), "approval_id": integer}),
	"ApprovalList":  obj([]string{"approvals"}, map[string]any{"approvals": array(ref("Approval"))}),
	"RejectRequest": obj([]string{"reason"}, map[string]any{"reason": map[string]any{"type": "string", "minLength": 1, "maxLength": 2000}}),
	"Rule":          obj([]string{"id", "fr", "en"}, map[string]any{"id": str, "fr": str, "en": str}),
	"Rulebook":      obj([]string{"rules"}, map[string]any{"rules": array(ref("Rule"))}),

	"ActionPayload": obj(nil, map[string]any{"op": enum("hide", "restore"), "rule": str, "reason": str, "pin": boolean,
		"welcome": str, "user_id": integer, "user_name": str, "message": str, "title": str, "publish_at": instant,
		"unit_id": integer, "unit_name": str, "suggestion_id": integer, "summary": str, "severity": enum("low", "high", "critical"),
		"deadline": instant, "note": str}),
	"ActionResult": obj([]string{"status", "rule"}, map[string]any{"status": enum("done", "pending_approval"),
		"approval_id": integer, "rule": str}),
	"NewFlag": obj([]string{"reason"}, map[string]any{"reason": map[string]any{"type": "string", "minLength": 1, "maxLength": 2000}}),
	"Flag": obj([]string{"id", "post_id", "space_id", "reason", "status"}, map[string]any{"id": integer, "post_id": integer,
		"space_id": integer, "user_id": integer, "user_name": str, "reason": str, "status": enum("open", "dismissed", "upheld"),
		"created_at": instant}),
	"ModerationQueue": obj([]string{"queue"}, map[string]any{"queue": array(obj([]string{"post", "flags"},
		map[string]any{"post": ref("Post"), "flags": array(ref("Flag"))}))}),
	"HideRequest": obj([]string{"rule", "reason"}, map[string]any{
		"rule":   map[string]any{"type": "string", "minLength": 1, "maxLength": 300, "description": "the charter rule the post breaks"},
		"reason": map[string]any{"type": "string", "minLength": 1, "maxLength": 2000}}),
	"NewScheduledPost": obj([]string{"title", "body", "publish_at"}, map[string]any{"kind": postKinds,
		"title": map[string]any{"type": "string", "minLength": 1, "maxLength": 200},
		"body":  map[string]any{"type": "string", "minLength": 1, "maxLength": 20000}, "publish_at": instant}),
	"ScheduledPost": obj([]string{"id", "space_id", "title", "publish_at", "status"}, map[string]any{"id": integer,
		"space_id": integer, "author_id": integer, "author_name": str, "kind": postKinds, "title": str, "body": str,
		"publish_at": instant, "status": enum("pending_approval", "scheduled", "published", "cancelled", "rejected"),
		"post_id": integer, "created_at": instant}),
	"ScheduledPostList": obj([]string{"scheduled_posts"}, map[string]any{"scheduled_posts": array(ref("ScheduledPost"))}),
	"Welcome":           obj([]string{"welcome"}, map[string]any{"welcome": map[string]any{"type": "string", "maxLength": 5000}}),
	"NewInvitation": obj([]string{"login"}, map[string]any{"login": str,
		"message": map[string]any{"type": "string", "maxLength": 2000}}),
	"Invitation": obj([]string{"id", "space_id", "user_id", "status"}, map[string]any{"id": integer, "space_id": integer,
		"space_name": str, "user_id": integer, "user_name": str, "invited_by": integer, "inviter_name": str, "message": str,
		"status":     enum("pending_approval", "pending", "accepted", "declined", "rejected"),
		"created_at": instant, "decided_at": instant}),
	"InvitationList": obj([]string{"invitations"}, map[string]any{"invitations": array(ref("Invitation"))}),
	"FunnelReport": obj([]string{"space_id", "month", "from", "to", "complete", "k", "funnel", "suppressed", "suppressed_figures"},
		map[string]any{"space_id": integer, "month": map[string]any{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
			"from": map[string]any{"type": "string", "format": "date"}, "to": map[string]any{"type": "string", "format": "date", "description": "the last day, included"},
			"complete": map[string]any{"type": "boolean", "description": "false for the current month, whose figures are withheld until it ends"},
			"k":        integer, "funnel": ref("ReportFunnel"), "suppressed": boolean,
			"suppressed_figures": map[string]any{"type": "array", "items": str, "description": "the funnel's figures concerning fewer than k people (null above)"}}),
	"JoinPolicy": obj([]string{"join_policy"}, map[string]any{"join_policy": enum("open", "criteria", "request"),
		"join_criteria": obj(nil, map[string]any{"unit_ids": array(integer), "sites": array(str), "job_families": array(str),
			"employments": array(enum("internal", "external"))})}),
	"StewardRequest": obj([]string{"login"}, map[string]any{"login": str}),
	"OnboardingStep": obj([]string{"item", "done"}, map[string]any{"item": enum("codes_values", "charter", "escalation_paths"),
		"done": boolean, "done_by": integer, "done_by_name": str, "done_at": instant}),
	"Onboarding": obj([]string{"user_id", "co_pilot", "steps", "complete"}, map[string]any{"user_id": integer, "user_name": str,
		"co_pilot": boolean, "mentor_id": integer, "mentor_name": str, "co_pilot_since": instant,
		"steps": array(ref("OnboardingStep")), "complete": boolean}),
	"OnboardingList":        obj([]string{"copilots"}, map[string]any{"copilots": array(ref("Onboarding"))}),
	"OnboardingStepRequest": obj([]string{"item"}, map[string]any{"item": enum("codes_values", "charter", "escalation_paths")}),
	"CoPilotRequest":        obj([]string{"mentor_login"}, map[string]any{"mentor_login": str}),
	"Notification": obj([]string{"id", "kind", "created_at"}, map[string]any{"id": integer,
		"kind":     enum("post.hidden", "post.restored", "welcome", "invitation", "member.removed", "join.approved", "join.refused", "approval.approved", "approval.rejected", "copilot.ended", "report.delivered"),
		"space_id": integer, "space_name": str, "post_id": integer, "actor_id": integer, "actor_name": str, "subject_id": integer,
		"rule": str, "detail": str, "created_at": instant, "read_at": instant}),
	"NotificationList": obj([]string{"notifications", "unread"}, map[string]any{"notifications": array(ref("Notification")), "unread": integer}),
	"ReadRequest":      obj(nil, map[string]any{"up_to": map[string]any{"type": "integer", "minimum": 0, "description": "mark up to this id (0 or absent: all)"}}),
	"ReadResult":       obj([]string{"marked"}, map[string]any{"marked": integer}),
	"Following":        obj([]string{"following"}, map[string]any{"following": boolean}),

	"NewSignal": obj([]string{"post_id", "summary"}, map[string]any{"post_id": integer,
		"owner_login":   map[string]any{"type": "string", "description": "the person who decides (or unit_id)"},
		"unit_id":       map[string]any{"type": "integer", "description": "the unit whose head decides (or owner_login)"},
		"summary":       map[string]any{"type": "string", "minLength": 1, "maxLength": 2000},
		"suggestion_id": map[string]any{"type": "integer", "description": "the participant's suggestion this signal answers"}}),
	"SignalStep": obj([]string{"status", "at"}, map[string]any{"status": signalStatuses, "actor_id": integer, "actor_name": str,
		"note": str, "at": instant}),
	"Signal": obj([]string{"id", "space_id", "post_id", "summary", "status", "due_at"}, map[string]any{"id": integer,
		"space_id": integer, "space_name": str, "post_id": integer,
		"post_title": map[string]any{"type": "string", "description": "empty for whoever cannot read the post's space"},
		"raised_by":  integer, "raiser_name": str, "owner_id": integer, "owner_name": str, "unit_id": integer, "unit_name": str,
		"summary": str, "status": signalStatuses, "decision": str, "decided_by": integer, "decider_name": str,
		"decided_at": instant, "due_at": instant, "stale": boolean, "created_at": instant, "updated_at": instant,
		"history": array(ref("SignalStep"))}),
	"SignalLists": obj([]string{"signals", "owned", "raised"}, map[string]any{"signals": array(ref("Signal")),
		"owned": array(ref("Signal")), "raised": array(ref("Signal")), "stale": array(ref("Signal"))}),
	"SignalDecision": obj([]string{"status"}, map[string]any{"status": enum("acknowledged", "accepted", "rejected", "planned", "done"),
		"decision": map[string]any{"type": "string", "maxLength": 5000, "description": "required for accepted, rejected, planned and done"}}),
	"NewSuggestion": obj([]string{"note"}, map[string]any{"note": map[string]any{"type": "string", "minLength": 1, "maxLength": 2000}}),
	"SignalSuggestion": obj([]string{"id", "space_id", "post_id", "note", "status"}, map[string]any{"id": integer,
		"space_id": integer, "post_id": integer, "post_title": str, "user_id": integer, "user_name": str, "note": str,
		"status": enum("open", "raised", "dismissed"), "signal_id": integer, "created_at": instant}),
	"SignalSuggestionList": obj([]string{"suggestions"}, map[string]any{"suggestions": array(ref("SignalSuggestion"))}),
	"NewEscalation": obj([]string{"space_id", "assignee_login", "severity", "summary"}, map[string]any{"space_id": integer,
		"post_id": integer, "assignee_login": str, "severity": severities,
		"summary":  map[string]any{"type": "string", "minLength": 1, "maxLength": 2000},
		"deadline": map[string]any{"type": "string", "format": "date-time", "description": "default: 1 day (critical), 3 days (high), 7 days (low)"}}),
	"Escalation": obj([]string{"id", "space_id", "assignee_id", "severity", "summary", "status", "deadline_at"}, map[string]any{
		"id": integer, "space_id": integer, "space_name": str, "post_id": integer, "raised_by": integer, "raiser_name": str,
		"assignee_id": integer, "assignee_name": str, "severity": severities, "summary": str, "deadline_at": instant,
		"status": enum("open", "resolved"), "resolution": str, "resolved_by": integer, "resolved_at": instant,
		"overdue": boolean, "created_at": instant}),
	"SignalDeadline": obj([]string{"days"}, map[string]any{"days": map[string]any{"type": "integer", "minimum": 1, "maximum": 90}}),
	"EscalationList": obj([]string{"escalations"}, map[string]any{"escalations": array(ref("Escalation"))}),
	"Resolution":     obj([]string{"resolution"}, map[string]any{"resolution": map[string]any{"type": "string", "minLength": 1, "maxLength": 5000}}),
}

var signalStatuses = enum("new", "acknowledged", "accepted", "rejected", "planned", "done")
var severities = enum("low", "high", "critical")

var webhookEvents = enum("*", "signal.raised", "signal.decided", "escalation.raised", "escalation.resolved")

var benefitKinds = enum("time_saved", "cost_avoided", "revenue", "quality", "risk")
var benefitUnits = enum("hours", "EUR", "count")
var numeric = map[string]any{"type": "number"}

// addSchemas adds the schemas of a group of routes, kept beside its
// handlers, to the document's, refusing a name defined twice.
func addSchemas(part map[string]any) {
	for name, schema := range part {
		if _, dup := schemas[name]; dup {
			panic("api: schema defined twice: " + name)
		}
		schemas[name] = schema
	}
}
