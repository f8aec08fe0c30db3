package web

// directoryMessages are the texts of the directory's administration and of
// the sign-in through the company's identity provider, merged into
// messages at start-up.
var directoryMessages = map[string]map[string]string{
	"fr": {
		"nav.directory": "Annuaire",

		"signin.oidc":        "Se connecter avec son compte d'entreprise",
		"signin.or_password": "ou avec son identifiant et son mot de passe :",
		"oidc.expired":       "La connexion par l'entreprise a expiré ou n'a pas commencé ici : recommencez.",
		"oidc.state":         "La réponse du service de connexion ne correspond pas à votre demande : recommencez.",
		"oidc.denied":        "Le service de connexion de l'entreprise a refusé la connexion",

		"directory.title":              "Annuaire",
		"directory.heading":            "Annuaire de l'entreprise",
		"directory.intro":              "Les comptes et les équipes viennent de l'annuaire de l'entreprise : importez-le ici en CSV, ou laissez votre fournisseur d'identité les tenir à jour par SCIM. Chaque équipe a son espace fermé, dont son manager est responsable.",
		"directory.import":             "Importer un fichier CSV",
		"directory.format":             "Fichier CSV en UTF-8 (virgules ou points-virgules), avec cet en-tête, dans n'importe quel ordre :",
		"directory.rule.team":          "team est l'équipe de la personne, manages l'équipe qu'elle dirige (vide : aucune), employment vaut internal ou external. Une équipe nouvelle est créée avec son espace d'équipe.",
		"directory.rule.idempotent":    "Importer deux fois le même fichier ne change rien la seconde fois. Quelqu'un qui quitte une équipe perd aussitôt l'accès à son espace ; ses messages restent.",
		"directory.rule.refused":       "Les lignes fautives (colonnes, encodage, identifiant en double, équipe sans manager, cycle hiérarchique…) sont refusées avec leur raison ; les autres s'appliquent.",
		"directory.rule.absent":        "Personne n'est désactivé par son absence du fichier, sauf si vous cochez la case ci-dessous : seuls les comptes tenus par un import CSV précédent sont alors désactivés.",
		"directory.file":               "Fichier CSV",
		"directory.paste":              "ou collez les lignes (avec l'en-tête)",
		"directory.dry_run":            "Simulation : montrer ce que l'import ferait, sans rien écrire",
		"directory.deactivate_missing": "Désactiver les comptes importés que le fichier ne liste plus",
		"directory.submit":             "Importer",
		"directory.empty":              "Choisissez un fichier CSV ou collez ses lignes.",
		"directory.report":             "Compte rendu de l'import",
		"directory.report_dry":         "Compte rendu de la simulation (rien n'a été écrit)",
		"directory.summary":            "%d lignes : %d créées, %d modifiées, %d inchangées, %d refusées.",
		"directory.teams_created":      "Équipes créées :",
		"directory.spaces_created":     "Espaces d'équipe créés :",
		"directory.deactivated":        "Comptes désactivés :",
		"directory.col.line":           "Ligne",
		"directory.col.login":          "Identifiant",
		"directory.col.outcome":        "Résultat",
		"directory.col.detail":         "Détail",
		"directory.outcome.created":    "créé",
		"directory.outcome.changed":    "modifié",
		"directory.outcome.unchanged":  "inchangé",
		"directory.outcome.refused":    "refusé",
		"directory.provisioning":       "Provisionnement automatique (SCIM 2.0)",
		"directory.scim":               "Point d'accès SCIM de votre fournisseur d'identité :",
		"directory.scim_hint":          "Authentifiez-le avec le jeton d'API d'un administrateur. Les groupes SCIM sont les équipes ; leur manager est l'attribut manager de l'extension urn:relais:params:scim:schemas:extension:relais:2.0:Group.",
	},
	"en": {
		"nav.directory": "Directory",

		"signin.oidc":        "Sign in with your company account",
		"signin.or_password": "or with your login and password:",
		"oidc.expired":       "The company sign-in expired or did not start here: start again.",
		"oidc.state":         "The sign-in service's answer does not match your request: start again.",
		"oidc.denied":        "The company sign-in service refused the sign-in",

		"directory.title":              "Directory",
		"directory.heading":            "Company directory",
		"directory.intro":              "Accounts and teams come from the company directory: import it here as CSV, or let your identity provider keep them up to date through SCIM. Each team has its closed space, which its manager owns.",
		"directory.import":             "Import a CSV file",
		"directory.format":             "A CSV file in UTF-8 (commas or semicolons), with this header, in any order:",
		"directory.rule.team":          "team is the person's team, manages the team they lead (empty: none), employment is internal or external. A new team is created with its team space.",
		"directory.rule.idempotent":    "Importing the same file twice changes nothing the second time. Someone who leaves a team loses its space at once; their posts stay.",
		"directory.rule.refused":       "Faulty lines (columns, encoding, duplicate login, team without manager, management cycle…) are refused with their reason; the others apply.",
		"directory.rule.absent":        "Nobody is deactivated for being absent from the file, unless you tick the box below: then only the accounts an earlier CSV import manages are deactivated.",
		"directory.file":               "CSV file",
		"directory.paste":              "or paste the lines (with the header)",
		"directory.dry_run":            "Dry run: show what the import would do, and write nothing",
		"directory.deactivate_missing": "Deactivate the imported accounts the file no longer lists",
		"directory.submit":             "Import",
		"directory.empty":              "Choose a CSV file or paste its lines.",
		"directory.report":             "Import report",
		"directory.report_dry":         "Dry-run report (nothing was written)",
		"directory.summary":            "%d lines: %d created, %d changed, %d unchanged, %d refused.",
		"directory.teams_created":      "Teams created:",
		"directory.spaces_created":     "Team spaces created:",
		"directory.deactivated":        "Accounts deactivated:",
		"directory.col.line":           "Line",
		"directory.col.login":          "Login",
		"directory.col.outcome":        "Outcome",
		"directory.col.detail":         "Detail",
		"directory.outcome.created":    "created",
		"directory.outcome.changed":    "changed",
		"directory.outcome.unchanged":  "unchanged",
		"directory.outcome.refused":    "refused",
		"directory.provisioning":       "Automatic provisioning (SCIM 2.0)",
		"directory.scim":               "The SCIM endpoint for your identity provider:",
		"directory.scim_hint":          "Authenticate it with an administrator's API token. SCIM groups are teams; their manager is the manager attribute of the extension urn:relais:params:scim:schemas:extension:relais:2.0:Group.",
	},
}

// init merges the directory's texts into the catalog; a key defined twice
// is a programming error.
func init() {
	for lang, texts := range directoryMessages {
		m, ok := messages[lang]
		if !ok {
			panic("web: directory messages in unknown language " + lang)
		}
		for k, s := range texts {
			if _, dup := m[k]; dup {
				panic("web: message key defined twice: " + k)
			}
			m[k] = s
		}
	}
}
