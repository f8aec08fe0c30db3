package app

import (
	"relais"
	"relais/policy"
)

// Who is in co-pilot, and under whose mentoring, is internal governance:
// what a reader may not learn of it (policy copilot.view) is cleared from
// what the services return, so that no face shows it.

// mayViewCoPilot reports whether reader may learn whether the person
// subjectID is in co-pilot.
func mayViewCoPilot(reader *relais.User, subjectID int64) bool {
	return policy.Decide(policy.ActorOf(reader), policy.ViewCoPilot, policy.Target{Subject: &policy.Actor{UserID: subjectID}}).Allowed()
}

// withholdCoPilot clears a person's co-pilot state and mentor when the
// reader may not learn them, and marks them withheld.
func withholdCoPilot(reader, u *relais.User) {
	if u == nil || mayViewCoPilot(reader, u.ID) {
		return
	}
	u.CoPilot, u.MentorID, u.CoPilotWithheld = false, 0, true
}

// withholdWaiting turns a request to join whose decision waits for the
// mentor of a steward in co-pilot into a plainly pending one, for a reader
// who may not learn that this steward is in co-pilot.
func withholdWaiting(reader *relais.User, m *relais.MembershipRequest) {
	if m == nil || !m.Waiting || mayViewCoPilot(reader, m.WaitingBy) {
		return
	}
	m.Waiting, m.WaitingBy = false, 0
}
