from django.views.generic import TemplateView

from .models import Delegation


class HomeView(TemplateView):
    """Upcoming and recent published visits."""

    template_name = "delegations/home.html"
    recent_count = 10

    def get_context_data(self, **kwargs):
        published = Delegation.objects.published()
        return super().get_context_data(
            upcoming=published.upcoming(),
            recent=published.past()[: self.recent_count],
            **kwargs,
        )
