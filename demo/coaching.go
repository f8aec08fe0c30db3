package demo

import (
	"time"

	"relais"
)

// coaching writes, as history that notifies no one, paul's contribution
// agreement with "Innovation Produits" (2 hours a week as an expert,
// approved by marc) and the coaching marc asked claire for about his
// team's space, with one message and claire's reply. The coaching is
// closed: an open one would make claire the team's invisible coach, and
// the demo keeps her a plain outsider to "Support Lyon".
func (l *loader) coaching(supportTeam, innovation int64) {
	if l.err != nil {
		return
	}
	marc, paul, claire := l.users["marc"], l.users["paul"], l.users["claire"]
	approved := l.now.Add(-19 * 24 * time.Hour)
	l.err = l.st.RecordAgreement(l.ctx, &relais.Agreement{UserID: paul.ID, SpaceID: innovation, ManagerID: marc.ID,
		Hours: 2_00, Role: "expert", Status: relais.AgreementApproved,
		Note:      "J'apporte le regard du support niveau 2 sur les irritants clients, le jeudi après-midi.",
		CreatedAt: l.now.Add(-20 * 24 * time.Hour), DecidedAt: &approved, DecidedBy: marc.ID})
	if l.err != nil {
		return
	}
	closed := l.now.Add(-6 * 24 * time.Hour)
	l.err = l.st.RecordCoaching(l.ctx, &relais.Coaching{TeamID: supportTeam, ManagerID: marc.ID, CoachID: claire.ID,
		Topic: "Animer les rituels d'équipe dans l'espace Support Lyon", Status: relais.CoachingClosed,
		CreatedAt: l.now.Add(-14 * 24 * time.Hour), ClosedAt: &closed}, []relais.CoachingMessage{
		{AuthorID: marc.ID, CreatedAt: l.now.Add(-14 * 24 * time.Hour),
			Body: "Bonjour Claire, l'équipe poste peu le lundi : comment lancer un point de priorités qui prenne vraiment ?"},
		{AuthorID: claire.ID, CreatedAt: l.now.Add(-13 * 24 * time.Hour),
			Body: "Bonjour Marc ! Les chiffres agrégés montrent surtout des questions sans réponse en fin de semaine. Essayez une routine courte le lundi à 9 h, avec un modèle en trois lignes, et répondez vous-même aux deux premières."},
	})
}
