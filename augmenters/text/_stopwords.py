"""English function words that synonym ops never replace: swapping them changes grammar, not wording.

Written for augplay (not copied from a corpus); lowercase, compared against the lowercased word.
"""

STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another any anybody
    anyone anything are around as at be because been before being below beneath beside besides between beyond
    both but by can cannot could did do does doing done down during each either else enough etc even ever every
    everybody everyone everything few for from further get gets got had has have having he her here hers herself
    him himself his how however i if in inside into is it its itself just least less like many may me might mine
    more most much must my myself neither never no nobody none noone nor not nothing now of off often on once one
    only onto or other others otherwise our ours ourselves out outside over own per perhaps quite rather same
    several shall she should since so some somebody someone something sometimes still such than that the their
    theirs them themselves then there therefore these they this those though through throughout thus to together
    too toward towards under unless until up upon us very via was we well were what whatever when whenever where
    whereas wherever whether which while who whoever whole whom whose why will with within without would yet you
    your yours yourself yourselves
    """.split()
)
