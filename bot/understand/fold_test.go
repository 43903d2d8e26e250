package understand_test

import (
	"strings"

	"github.com/twinbot/twinbot/fold"
)

func containsFold(s, sub string) bool { return strings.Contains(fold.Fold(s), fold.Fold(sub)) }
