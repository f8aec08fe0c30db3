package demo

import (
	"sort"
	"time"

	"relais"
)

const day = 24 * time.Hour

func (l *loader) threads(support, ventes, innovation, clients int64) {
	ts := []thread{
		{support, "marc", relais.KindCoordination, "Priorités de la semaine 47",
			"Bonjour à tous,\n\nPour cette semaine :\n\n1. **Résorber le stock de tickets N2** ouverts depuis plus de 5 jours (32 à ce matin).\n2. Préparer la bascule du standard vers la nouvelle téléphonie jeudi.\n3. Former Paul sur les remboursements partiels.\n\nDites-moi ici si quelque chose vous bloque.",
			6 * day, []reply{
				{"paul", "Je prends les tickets de facturation (une douzaine). Je m'occupe aussi de la fiche réflexe pour la bascule de jeudi.", 6*day - time.Hour},
				{"marc", "Parfait, merci Paul. Je regarde les tickets techniques avec l'équipe de Villeurbanne.", 6*day - 2*time.Hour},
			}},
		{support, "paul", relais.KindProblem, "Export des factures bloqué pour les clients multi-sites",
			"Depuis la mise à jour de lundi, l'export PDF des factures échoue pour les clients qui ont plusieurs sites de livraison : le fichier est vide.\n\nTickets concernés : #48211, #48230, #48244. Contournement trouvé : exporter site par site depuis l'écran *Livraisons*.",
			3 * day, []reply{
				{"marc", "Merci pour le contournement. Je fais remonter à l'équipe Produit : c'est la troisième fois ce mois-ci.", 3*day - 3*time.Hour},
			}},
		{support, "paul", relais.KindBestPractice, "Fiche réflexe : remboursement partiel en moins de 5 minutes",
			"Ce qui marche pour moi :\n\n- vérifier d'abord le statut de livraison ;\n- utiliser le motif *geste commercial* plutôt que *litige* quand le client a raison ;\n- envoyer le modèle de mail n°4, qui explique le délai bancaire.\n\nRésultat : plus de rappel du client dans 9 cas sur 10.",
			1 * day, nil},
		{ventes, "nadia", relais.KindDecision, "Remises de fin d'année : règle commune",
			"Décision prise en réunion d'équipe : jusqu'au 31 décembre, remise maximale de **8 %** sans validation, au-delà on en parle ensemble avant d'envoyer la proposition.",
			5 * day, []reply{
				{"lea", "Noté. Je l'applique dès la proposition pour la clinique Saint-Roch.", 5*day - 4*time.Hour},
			}},
		{ventes, "lea", relais.KindQuestion, "Quelqu'un a-t-il une présentation récente de l'offre Pro ?",
			"J'ai un rendez-vous jeudi avec un cabinet d'architectes ; la présentation que j'ai date de l'an dernier. Quelqu'un a une version à jour ?",
			2 * day, []reply{
				{"nadia", "La version de novembre est dans le dossier partagé *Ventes/Présentations*. Je te montre les trois slides à adapter demain matin.", 2*day - time.Hour},
			}},
		{innovation, "paul", relais.KindProblem, "Les clients multi-sites ne peuvent pas exporter leurs factures",
			"Côté support Lyon, nous recevons chaque semaine des appels de clients multi-sites dont l'export de factures est vide. Le contournement existe mais il prend 20 minutes par client.\n\nEst-ce que l'équipe Produit a ce sujet en tête ?",
			3*day - 2*time.Hour, []reply{
				{"victor", "Oui, le sujet est connu. Pouvez-vous nous donner un ordre de grandeur du nombre de clients touchés ? Cela nous aidera à le prioriser.", 3*day - 5*time.Hour},
				{"paul", "Environ 40 clients identifiés sur le mois, surtout dans la distribution.", 2 * day},
				{"samir", "Merci à vous deux. Je propose de transformer ce fil en signal pour l'unité Produit dès que l'outil le permet.", 2*day - time.Hour},
			}},
		{innovation, "samir", relais.KindDiscussion, "Bienvenue dans Innovation Produits !",
			"Cette communauté relie le terrain et l'équipe Produit. Avant de poster, relisez la charte : **une idée par fil**, et le problème avant la solution.\n\nPrésentez-vous en réponse à ce message : votre métier, et l'irritant client que vous aimeriez voir disparaître.",
			40 * day, []reply{
				{"marc", "Marc, manager du support à Lyon. Mon irritant : les clients qui doivent appeler trois fois pour un même remboursement.", 39 * day},
				{"paul", "Paul, support N2. Pour moi : les exports de factures.", 38 * day},
			}},
		{innovation, "victor", relais.KindQuestion, "Quelles fonctionnalités pour l'application mobile en 2027 ?",
			"Nous préparons la feuille de route 2027 de l'application mobile. Quels sont, selon vous, les trois besoins clients les plus urgents ?",
			8 * day, []reply{
				{"marc", "Le suivi de commande en temps réel, sans hésiter : c'est 30 % de nos appels.", 7 * day},
			}},
		{clients, "samir", relais.KindDiscussion, "Bienvenue dans la communauté Clients Pro",
			"Bonjour et bienvenue ! Ici, nos clients professionnels et nos experts échangent sur l'usage de nos produits. Merci de ne jamais publier de données personnelles ni de numéros de contrat.",
			30 * day, nil},
		{clients, "xavier", relais.KindQuestion, "Comment exporter mes factures par site ?",
			"Bonjour, nous avons quatre ateliers et je dois transmettre à notre comptable les factures de chacun. L'export global me donne un fichier vide depuis quelques jours. Y a-t-il une astuce ?",
			2 * day, []reply{
				{"samir", "Bonjour Xavier, en attendant le correctif, l'export fonctionne site par site depuis l'écran *Livraisons* → *Exporter*. Nos équipes travaillent sur le problème.", 2*day - 3*time.Hour},
				{"xavier", "Merci, ça fonctionne. C'est un peu long mais ça dépanne.", 1 * day},
			}},
	}
	// Oldest first, so that ids follow dates as they do in real life.
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].ago > ts[j].ago })
	for _, t := range ts {
		l.post(t)
	}
}
